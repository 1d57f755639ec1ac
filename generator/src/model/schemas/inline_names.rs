//! Names for inline schemas, chosen from where they were met.
//!
//! A type's name depends on its own places in the document only: the root (component,
//! operation response or body, parameter) and the properties walked to reach it. Long paths
//! are shortened to [`MAX_LEN`] characters by dropping leading words. When distinct types want one name, all of them (not just the
//! later ones) take their qualified name, so which one "came first" never matters.

use std::collections::{BTreeMap, BTreeSet};

use crate::naming::camel_words;

/// No generated type name is longer than this, unless a component's own name is.
pub const MAX_LEN: usize = 40;

/// One place an inline type was met, with the names it offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameCandidate {
    pub primary: String,
    pub qualified: String,
    pub pointer: String,
    pub module: String,
}

/// The short name: the whole path if it fits, else its last words that fit. Leading words go
/// first because the end of a path says what the thing is, and keeping every segment keeps
/// nested levels (`categories` in `categories` in `categories`) apart.
pub fn fit(root: &[String], segments: &[String]) -> String {
    let full = join_words(root, segments);
    if full.len() <= MAX_LEN {
        return full;
    }
    drop_leading_words(&full)
}

/// The name used on collisions: the whole path from the qualified root, with long words
/// abbreviated until it fits, so it keeps every part that tells it apart.
pub fn fit_qualified(root: &[String], segments: &[String]) -> String {
    let full = join_words(root, segments);
    abbreviate(&full)
}

/// The words as one name. A word that is a keyword carries the keyword guard (`Self_`), which
/// only the whole name needs: `Self_` and `Item` make `SelfItem`, not `Self_Item`.
fn join_words(root: &[String], segments: &[String]) -> String {
    let mut full: String = root
        .iter()
        .chain(segments)
        .map(|word| word.trim_end_matches('_'))
        .collect();
    if crate::naming::is_keyword(&full) {
        full.push('_');
    }
    full
}

/// Cuts the longest words (leftmost first) to their first four letters until the name fits.
fn abbreviate(name: &str) -> String {
    const STEM: usize = 4;
    let mut words: Vec<String> = camel_words(name).into_iter().map(str::to_string).collect();
    let mut len = name.len();
    while len > MAX_LEN {
        let Some((index, _)) = words
            .iter()
            .enumerate()
            .filter(|(_, w)| w.len() > STEM)
            .min_by_key(|(i, w)| (std::cmp::Reverse(w.len()), *i))
        else {
            return drop_leading_words(&words.concat());
        };
        len -= words[index].len() - STEM;
        words[index].truncate(STEM);
    }
    words.concat()
}

fn drop_leading_words(name: &str) -> String {
    let words = camel_words(name);
    let mut start = 0;
    let mut len = name.len();
    while len > MAX_LEN && start + 1 < words.len() {
        len -= words[start].len();
        start += 1;
    }
    // A name cannot start with a number (`Minute15` shortened must not become `15`).
    while start > 0 && words[start].starts_with(|c: char| c.is_ascii_digit()) {
        start -= 1;
    }
    let shortened: String = words[start..].concat();
    if shortened.len() > MAX_LEN {
        // One very long word: cut it, keeping the name a valid identifier.
        return shortened[..MAX_LEN].to_string();
    }
    shortened
}

/// Picks the final name and module of every type.
///
/// `fixed[i]` is the name of type `i` when it is a component; `candidates[i]` are the places
/// an inline type was met. Returns `(name, module)` per type; a component's module is empty
/// (the caller places components).
pub fn assign(fixed: &[Option<String>], candidates: &[&[NameCandidate]]) -> Vec<(String, String)> {
    let mut result: Vec<Option<(String, String)>> = fixed
        .iter()
        .map(|name| name.as_ref().map(|n| (n.clone(), String::new())))
        .collect();
    let mut taken: BTreeSet<String> = fixed.iter().flatten().cloned().collect();

    // The name most of a type's places offer (34 parameters called `aggregation` make it
    // `Aggregation`), ties going to the place met first. A new place elsewhere in the
    // document then rarely renames an existing type.
    let best = |index: usize, pick: fn(&NameCandidate) -> &String| -> (String, String) {
        let places = candidates[index];
        let votes = |name: &String| places.iter().filter(|c| pick(c) == name).count();
        let chosen = places
            .iter()
            .enumerate()
            .max_by_key(|(order, c)| (votes(pick(c)), std::cmp::Reverse(*order)))
            .map(|(_, c)| c)
            .expect("an inline type was met somewhere");
        (pick(chosen).clone(), chosen.module.clone())
    };

    let mut pending: Vec<usize> = (0..fixed.len()).filter(|&i| fixed[i].is_none()).collect();
    fn primary(c: &NameCandidate) -> &String {
        &c.primary
    }
    fn qualified(c: &NameCandidate) -> &String {
        &c.qualified
    }
    let picks: [fn(&NameCandidate) -> &String; 2] = [primary, qualified];
    for pick in picks {
        let mut wanted: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for &index in &pending {
            wanted.entry(best(index, pick).0).or_default().push(index);
        }
        let mut still_pending = Vec::new();
        for (name, indices) in wanted {
            if indices.len() == 1 && !taken.contains(&name) {
                let index = indices[0];
                result[index] = Some(best(index, pick));
                taken.insert(name);
            } else {
                still_pending.extend(indices);
            }
        }
        still_pending.sort_unstable();
        pending = still_pending;
    }

    // Still colliding after qualification: number them in document order of first occurrence.
    let first_pointer = |index: usize| {
        candidates[index]
            .iter()
            .map(|c| c.pointer.clone())
            .min()
            .unwrap_or_default()
    };
    pending.sort_by_key(|&index| first_pointer(index));
    for index in pending {
        let (base, module) = best(index, qualified);
        let mut n = 2;
        let mut name = format!("{base}{n}");
        while taken.contains(&name) {
            n += 1;
            name = format!("{base}{n}");
        }
        taken.insert(name.clone());
        result[index] = Some((name, module));
    }
    result
        .into_iter()
        .map(|r| r.expect("every type is named"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &[&str]) -> Vec<String> {
        s.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn long_paths_keep_their_last_words() {
        let name = fit(
            &words(&["ProjectPredictedConsumptionDatums"]),
            &words(&["Site", "System", "AggregatedTotal"]),
        );
        assert!(name.len() <= MAX_LEN, "{name}");
        assert!(name.ends_with("AggregatedTotal"), "{name}");
        assert_eq!(fit(&words(&["Project"]), &words(&["Site"])), "ProjectSite");
    }

    #[test]
    fn qualified_names_abbreviate_instead_of_dropping() {
        let name = fit_qualified(
            &words(&["ProjectPredictedConsumptionDatums", "Response"]),
            &[],
        );
        assert_eq!(name, "ProjectPredictedConsDatumsResponse");
        assert_eq!(
            fit_qualified(&words(&["Short"]), &words(&["Name"])),
            "ShortName"
        );
    }

    fn candidate(primary: &str, qualified: &str, pointer: &str) -> NameCandidate {
        NameCandidate {
            primary: primary.into(),
            qualified: qualified.into(),
            pointer: pointer.into(),
            module: "m".into(),
        }
    }

    #[test]
    fn collisions_qualify_every_contender() {
        let a = [candidate("Mode", "ReportMode", "#/a")];
        let b = [candidate("Mode", "TotalsMode", "#/b")];
        // Two places say `Aggregation`, one says `DatumsAggregation`: the majority wins.
        let c = [
            candidate("DatumsAggregation", "X", "#/c"),
            candidate("Aggregation", "DatumsAggregation", "#/d"),
            candidate("Aggregation", "ExportAggregation", "#/e"),
        ];
        let names = assign(
            &[None, None, None, Some("Project".into())],
            &[&a, &b, &c, &[]],
        );
        let names: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["ReportMode", "TotalsMode", "Aggregation", "Project"]
        );
    }

    #[test]
    fn component_names_win() {
        let a = [candidate("Project", "ProjectsResponseProject", "#/a")];
        let names = assign(&[Some("Project".into()), None], &[&[], &a]);
        assert_eq!(names[1].0, "ProjectsResponseProject");
    }
}
