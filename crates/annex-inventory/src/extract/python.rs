//! Python: poetry, uv, pdm and Pipenv lockfiles, `pylock.toml` (PEP 751), requirements
//! files with their `-r` includes; project files are recognised, not read.

use super::context::{Context, text};
use super::extractor::{Companion, Extracted, Extractor, ends_with_ci, starts_with_ci};
use super::simple::{Simple, declared_only, lockfile};
use crate::kind::Kind;
use crate::parse::python;
use annex_types::ecosystem::PYPI;

/// poetry.lock, uv.lock, pdm.lock: the pyproject.toml beside the lock names the project
/// and its direct dependencies.
pub(super) struct ProjectLock {
    name: &'static str,
    kind: python::ProjectLock,
}

pub(super) const POETRY_LOCK: ProjectLock = ProjectLock {
    name: "poetry.lock",
    kind: python::ProjectLock::Poetry,
};
pub(super) const UV_LOCK: ProjectLock = ProjectLock {
    name: "uv.lock",
    kind: python::ProjectLock::Uv,
};
pub(super) const PDM_LOCK: ProjectLock = ProjectLock {
    name: "pdm.lock",
    kind: python::ProjectLock::Pdm,
};

impl Extractor for ProjectLock {
    fn name(&self) -> &'static str {
        self.name
    }
    fn ecosystem(&self) -> &'static str {
        PYPI
    }
    fn kind(&self) -> Kind {
        Kind::Lockfile
    }
    fn claims(&self, name: &str, _parent: &str) -> bool {
        name == self.name
    }
    fn companions(&self) -> &'static [Companion] {
        &[Companion::Beside("pyproject.toml")]
    }
    fn extract(&self, path: &str, content: &[u8], ctx: &mut Context<'_>) -> Extracted {
        let project = ctx.first_companion(python::read_pyproject);
        let text = text(path, content)?;
        Ok(vec![python::lock_with_project(
            self.kind,
            path,
            &text,
            project.as_ref(),
        )?])
    }
}
pub(super) const PIPFILE_LOCK: Simple = lockfile("Pipfile.lock", PYPI, python::pipfile);

const PROJECT_FILE: &str =
    "a Python project file (declares, does not pin); a lockfile beside it would be read";
pub(super) const PYPROJECT: Simple = declared_only("pyproject.toml", &[], PYPI, PROJECT_FILE);
pub(super) const SETUP_PY: Simple = declared_only("setup.py", &[], PYPI, PROJECT_FILE);
pub(super) const SETUP_CFG: Simple = declared_only("setup.cfg", &[], PYPI, PROJECT_FILE);
pub(super) const PIPFILE: Simple = declared_only(
    "Pipfile",
    &[],
    PYPI,
    "a Pipenv Pipfile (declares, does not pin); Pipfile.lock pins it",
);

/// `pylock.toml` and `pylock.<name>.toml` (PEP 751).
pub(super) struct Pylock;

pub(super) const PYLOCK: Pylock = Pylock;

impl Extractor for Pylock {
    fn name(&self) -> &'static str {
        "pylock.toml"
    }
    fn ecosystem(&self) -> &'static str {
        PYPI
    }
    fn kind(&self) -> Kind {
        Kind::Lockfile
    }
    fn claims(&self, name: &str, _parent: &str) -> bool {
        name == "pylock.toml"
            || (starts_with_ci(name, "pylock.")
                && ends_with_ci(name, ".toml")
                && name.len() > "pylock..toml".len())
    }
    fn extract(&self, path: &str, content: &[u8], _ctx: &mut Context<'_>) -> Extracted {
        Ok(vec![python::pylock(path, &text(path, content)?)?])
    }
}

/// `requirements*.txt` and `requirements/*.txt` (any case), with the files they include.
pub(super) struct Requirements;

pub(super) const REQUIREMENTS: Requirements = Requirements;

impl Extractor for Requirements {
    fn name(&self) -> &'static str {
        "requirements.txt"
    }
    fn ecosystem(&self) -> &'static str {
        PYPI
    }
    fn kind(&self) -> Kind {
        Kind::Manifest
    }
    fn claims(&self, name: &str, parent: &str) -> bool {
        ends_with_ci(name, ".txt")
            && (starts_with_ci(name, "requirements") || parent.eq_ignore_ascii_case("requirements"))
    }
    fn companions(&self) -> &'static [Companion] {
        &[Companion::Referenced("files it includes with `-r`")]
    }
    fn extract(&self, path: &str, content: &[u8], ctx: &mut Context<'_>) -> Extracted {
        let text = text(path, content)?;
        Ok(vec![python::requirements_with(path, &text, &mut |p| {
            ctx.read_reference(p)
        })?])
    }
}
