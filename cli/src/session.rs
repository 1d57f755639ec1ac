//! Where `ecosuite login` keeps the session between commands: one file per profile,
//! `<config>/sessions/<profile>.json`, readable by its owner only (0600) and replaced atomically
//! (a temporary file, then a rename), so a command that dies half-way never leaves half a file.
//!
//! `<config>` is `$ECOSUITE_CONFIG_DIR`, else `$XDG_CONFIG_HOME/ecosuite` or
//! `$HOME/.config/ecosuite` (`%APPDATA%\ecosuite` on Windows).

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use ecosuite::SavedSession;

use crate::failure::Failure;

/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// One profile's session file.
pub struct Store {
    profile: String,
    path: PathBuf,
}

impl Store {
    /// The session file of `profile` (or of the default one).
    pub fn new(profile: Option<&str>) -> Result<Store, Failure> {
        let profile = profile.unwrap_or(DEFAULT_PROFILE);
        let valid = !profile.is_empty()
            && profile.len() <= 64
            && !profile.starts_with('.')
            && profile
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'));
        if !valid {
            return Err(Failure::usage(format!(
                "the profile name `{profile}` may only hold letters, digits, `-`, `_`, `.` and `@`"
            )));
        }
        let dir = config_dir().ok_or_else(|| {
            Failure::usage(
                "no configuration directory: set ECOSUITE_CONFIG_DIR (or HOME) to keep the session",
            )
        })?;
        Ok(Store {
            path: dir.join("sessions").join(format!("{profile}.json")),
            profile: profile.to_string(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// `ecosuite login`, with `--profile` when the profile is not the default one.
    pub fn login_command(&self) -> String {
        if self.profile == DEFAULT_PROFILE {
            "ecosuite login".into()
        } else {
            format!("ecosuite login --profile {}", self.profile)
        }
    }

    /// The saved session, `None` when there is none. A file that others can read is refused.
    pub fn load(&self) -> Result<Option<SavedSession>, Failure> {
        let path = self.path.display();
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => {
                return Err(Failure::Auth(format!(
                    "cannot read the session file {path}: {error}"
                )))
            }
        };
        check_private(&self.path)?;
        // serde's message could quote a token: say only where the file stopped making sense.
        serde_json::from_slice(&bytes).map(Some).map_err(|error| {
            Failure::Auth(format!(
                "the session file {path} is not a saved session (line {}, column {}); log in again with `{}`",
                error.line(),
                error.column(),
                self.login_command()
            ))
        })
    }

    /// Writes `session`, readable by its owner only, replacing the file in one step.
    pub fn save(&self, session: &SavedSession) -> Result<(), Failure> {
        let failed = |error: std::io::Error| {
            Failure::Auth(format!(
                "cannot save the session in {}: {error}",
                self.path.display()
            ))
        };
        let dir = self.path.parent().expect("the file is in a directory");
        create_private_dir(dir).map_err(failed)?;
        let json = serde_json::to_vec_pretty(session).expect("a session serialises");
        let temporary = dir.join(format!(".{}.json.{}.tmp", self.profile, std::process::id()));
        let written = write_private(&temporary, &json).and_then(|()| {
            // On Windows a rename does not replace an existing file.
            #[cfg(windows)]
            let _ = fs::remove_file(&self.path);
            fs::rename(&temporary, &self.path)
        });
        if let Err(error) = written {
            let _ = fs::remove_file(&temporary);
            return Err(failed(error));
        }
        Ok(())
    }

    /// Removes the session file; `false` when there was none.
    pub fn remove(&self) -> Result<bool, Failure> {
        match fs::remove_file(&self.path) {
            Ok(()) => Ok(true),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(error) => Err(Failure::Auth(format!(
                "cannot remove the session file {}: {error}",
                self.path.display()
            ))),
        }
    }
}

/// After a call with the kept session: saves the session if the call renewed it (even when
/// the call itself failed), and says how to log in again when it has expired.
pub async fn keep_renewed<T>(
    client: &ecosuite::Client,
    store: &Store,
    before: &SavedSession,
    reply: Result<T, Failure>,
) -> Result<T, Failure> {
    if let Some(now) = client.saved_session().await {
        if now != *before {
            // The command's answer matters more; the old session may still serve the next one.
            if let Err(failure) = store.save(&now) {
                eprintln!(
                    "warning: {}",
                    failure.to_string().trim_start_matches("error: ")
                );
            }
        }
    }
    match reply {
        Err(Failure::Call(ecosuite::Error::Auth(error))) if error.is_session_expired() => {
            Err(Failure::Auth(format!(
                "{error} with `{}` (the session kept in {} has ended)",
                store.login_command(),
                store.path().display()
            )))
        }
        other => other,
    }
}

/// Where the command line keeps its files.
fn config_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    if let Some(dir) = var("ECOSUITE_CONFIG_DIR") {
        return Some(PathBuf::from(dir));
    }
    let base = if cfg!(windows) {
        var("APPDATA").map(PathBuf::from)
    } else {
        var("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| var("HOME").map(|home| PathBuf::from(home).join(".config")))
    };
    base.map(|base| base.join("ecosuite"))
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), Failure> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = fs::metadata(path)
        .map_err(|error| Failure::Auth(format!("cannot read {}: {error}", path.display())))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        let path = path.display();
        return Err(Failure::Auth(format!(
            "the session file {path} can be read by other users (mode {:03o}), so it is not used; \
             make it private with `chmod 600 {path}` (and log in again if others may have read it)",
            mode & 0o777
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_: &Path) -> Result<(), Failure> {
    // The file is in the user's own profile directory, whose ACL is the user's.
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

/// Creates `path` (it must not exist) readable and writable by its owner only, and writes
/// `bytes` to disk.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = match options.open(path) {
        Ok(file) => file,
        // Left by a command that died between writing and renaming.
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            fs::remove_file(path)?;
            options.open(path)?
        }
        Err(error) => return Err(error),
    };
    file.write_all(bytes)?;
    file.sync_all()
}
