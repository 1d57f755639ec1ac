//! Which names hold secrets. The one rule for both sides: the generator marks declared
//! properties with it (it includes this file), and the runtime's `Debug` applies it to keys
//! the document does not declare. No dependencies, so both crates can compile it.

/// Words that, as a whole word of a key, mark its value as a secret.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "credential",
    "credentials",
    "apikey",
    "privatekey",
    "authorization",
    "cookie",
];

/// `password`, `clientSecret`, `api_key`, `X-Api-Key`, `refreshToken`: yes. `tokens_used`,
/// `secretary`: no.
pub fn is_secret_name(name: &str) -> bool {
    let words = words(name);
    words
        .iter()
        .any(|word| SECRET_WORDS.contains(&word.as_str()))
        || words
            .windows(2)
            .any(|pair| SECRET_WORDS.contains(&format!("{}{}", pair[0], pair[1]).as_str()))
}

/// Lower-case words of a camelCase, snake_case, kebab-case or spaced name.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::is_secret_name;

    #[test]
    fn secret_names() {
        for name in [
            "password",
            "Password",
            "newPassword",
            "client_secret",
            "clientSecret",
            "apiKey",
            "api_key",
            "X-Api-Key",
            "APIKEY",
            "refreshToken",
            "id_token",
            "credentials",
            "Authorization",
            "private_key",
            "Set-Cookie",
            "refresh_token",
        ] {
            assert!(is_secret_name(name), "{name} is a secret");
        }
        for name in [
            "tokens_used",
            "secretary",
            "code",
            "name",
            "keyId",
            "passenger",
        ] {
            assert!(!is_secret_name(name), "{name} is not a secret");
        }
    }
}
