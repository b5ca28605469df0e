//! A throwaway PostgreSQL cluster for tests: Debian's initdb/pg_ctl (PostgreSQL 15, or
//! whatever `initdb` is on PATH), started in a directory of the test on a free loopback
//! port and stopped on drop. As root the cluster runs as the `postgres` user, since initdb
//! refuses root.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A PostgreSQL cluster in a directory of the test, on a free loopback port, stopped on
/// drop.
pub struct Postgres {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres: bool,
}

impl Postgres {
    fn bin_dir() -> Option<PathBuf> {
        let debian = Path::new("/usr/lib/postgresql/15/bin");
        if debian.join("initdb").is_file() {
            return Some(debian.to_path_buf());
        }
        let out = Command::new("sh")
            .args(["-c", "command -v initdb"])
            .output()
            .ok()?;
        let p = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        p.parent()
            .filter(|_| out.status.success())
            .map(Path::to_path_buf)
    }

    fn cmd(&self, tool: &str) -> Command {
        let exe = self.bin.join(tool);
        if self.as_postgres {
            // initdb refuses to run as root: run the cluster as the postgres user.
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    }

    /// Start a cluster in `dir` (kept until dropped) with user `annex`, trust auth.
    pub fn start(dir: &Path) -> Result<Postgres, String> {
        let bin = Postgres::bin_dir().ok_or("PostgreSQL (initdb) is not installed")?;
        let as_postgres = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| o.stdout == b"0\n")
            .unwrap_or(false);
        let dir = dir.to_path_buf();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        if as_postgres {
            let _ = Command::new("chmod").arg("755").arg(&dir).status();
            let _ = Command::new("chown").args(["postgres:"]).arg(&dir).status();
        }
        let pg = Postgres {
            bin,
            dir,
            port,
            as_postgres,
        };
        let data = pg.dir.join("data");
        let run = |mut c: Command, what: &str| -> Result<(), String> {
            let out = c.output().map_err(|e| format!("{what}: {e}"))?;
            if out.status.success() {
                Ok(())
            } else {
                Err(format!("{what}: {}", String::from_utf8_lossy(&out.stderr)))
            }
        };
        let mut c = pg.cmd("initdb");
        c.args(["-A", "trust", "-U", "annex", "-D"]).arg(&data);
        run(c, "initdb")?;
        let mut c = pg.cmd("pg_ctl");
        c.args(["-w", "-D"])
            .arg(&data)
            .arg("-l")
            .arg(pg.dir.join("log"))
            .arg("-o")
            .arg(format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
                pg.port,
                pg.dir.display()
            ));
        c.arg("start");
        run(c, "pg_ctl start")?;
        Ok(pg)
    }

    /// The URL of database `db`.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://annex@127.0.0.1:{}/{db}", self.port)
    }

    /// Create database `db`.
    pub fn create_db(&self, db: &str) {
        let out = self
            .cmd("createdb")
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "annex",
                db,
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self
            .cmd("pg_ctl")
            .args(["-m", "immediate", "-D"])
            .arg(self.dir.join("data"))
            .arg("stop")
            .output();
    }
}
