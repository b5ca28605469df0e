//! Where documents and progress go: stdout or --output, a spinner on stderr, colour, and the
//! exit status an error carries.

use clap::ValueEnum;
use std::io::Write;
use std::path::PathBuf;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// An error that carries its exit status: 1 for a policy failure, 2 for bad input or usage.
#[derive(Debug)]
pub struct Exit(pub u8);

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}", self.0)
    }
}
impl std::error::Error for Exit {}

/// A spinner on stderr while long work runs, only when stderr is a terminal and `show`
/// (machine-readable runs stay quiet).
pub fn spinner(show: bool, message: String) -> Option<indicatif::ProgressBar> {
    if !show || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return None;
    }
    let pb = indicatif::ProgressBar::new_spinner();
    pb.set_message(message);
    pb.enable_steady_tick(std::time::Duration::from_millis(100));
    Some(pb)
}

/// Pretty JSON with a final newline, as every JSON output of the binary ends.
pub fn pretty<T: serde::Serialize>(v: &T) -> anyhow::Result<String> {
    let mut s = serde_json::to_string_pretty(v)?;
    s.push('\n');
    Ok(s)
}

/// Write a document to --output (replacing a regular file, never through a symlink) or
/// stdout.
pub fn emit(output: Option<&PathBuf>, text: &str) -> anyhow::Result<()> {
    emit_to(output, text, true)
}

/// [`emit`], replacing an existing --output file only with `force`.
pub fn emit_to(output: Option<&PathBuf>, text: &str, force: bool) -> anyhow::Result<()> {
    match output {
        Some(path) => {
            annex_checkout::write_output(path, text.as_bytes(), force)?;
        }
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`annex … | head`) is not an error worth reporting.
            if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush())
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(e.into());
            }
        }
    }
    Ok(())
}
