//! `annex completions` and `annex man`: generated from the clap definitions, so they never
//! drift from the options.

use crate::output::emit;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Args, Debug)]
pub struct ManArgs {
    /// Write the page here instead of stdout (install as `annex.1`).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run_completions(args: CompletionsArgs, mut cmd: clap::Command) -> anyhow::Result<u8> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "annex", &mut out);
    emit(None, &String::from_utf8(out)?)?;
    Ok(0)
}

pub fn run_man(args: ManArgs, cmd: clap::Command) -> anyhow::Result<u8> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out)?;
    emit(args.output.as_ref(), &String::from_utf8(out)?)?;
    Ok(0)
}
