#!/usr/bin/env python3
"""Generate a deterministic synthetic repository tree for scripts/bench.

Usage: gen-tree.py [--files N] [--seed S] OUTDIR

Writes exactly N regular files under OUTDIR (which must not exist or be empty), not
counting .git (the caller runs git init/add/commit). The mix:

  * top-level README.md, SECURITY.md, LICENSE, CONTRIBUTING.md, .gitignore, a workspace
    Cargo.toml, .github/workflows/*.yml and docs/**/*.md;
  * ~N/1000 subprojects (4..100) under crates/, packages/, services/, libs/, tools/,
    each a Rust, Node, Python or Go project with its manifest and lockfile
    (Cargo.toml/Cargo.lock, package.json/package-lock.json, pyproject.toml/poetry.lock,
    go.mod/go.sum; ~200 in all at N=100000), a README.md and nested source dirs
    (rs, py, js, go, java, c, h) up to 5 levels deep;
  * native/ (C) and android/ (Java) sources without manifests;
  * N/200 binary blobs starting with the ELF magic;
  * an ignored build/ dir (listed in .gitignore) holding N/20 files
    (5000 at N=100000): object files (ELF), dep files, generated sources, logs.

File sizes are log-normal around 1.5 KiB, clamped to 100 B .. 64 KiB (about 2.5 KiB on
average, so ~250 MB at N=100000). Everything comes from one random.Random(seed): the same
N and seed give byte-identical trees. No directory is named like annex's default walk
excludes (vendor/, third_party/, node_modules/, testdata/, fixtures/, examples/), so annex
and the baseline both see every tracked file. Prints a one-line JSON summary on stdout.
"""

import argparse
import json
import math
import os
import random
import sys

MIN_SIZE = 100
MAX_SIZE = 64 * 1024
MEDIAN_SIZE = 1500
SIGMA = 1.0
CORPUS_SIZE = 256 * 1024

WORDS = """
account action adapter address agent alert alias allocator anchor archive array asset
audit backend balance batch binding blob block bucket buffer builder bundle cache
channel chunk cipher claim client cluster codec column commit config consumer context
cursor daemon decoder delta digest dispatch domain driver encoder engine entry event
export factory feature field filter flag format frame gateway graph guard handle
handler header heap hook index input job journal kernel key label layer lease ledger
limit link listener loader lock log manifest mapper marker matcher member message meta
metric mirror module monitor mount node notice object offset option origin output
owner packet page parser patch path payload peer pipeline plan policy pool port probe
profile prompt proxy queue quota range reader record region registry relay release
report request resolver resource response result route rule runner sample scanner
schema scope segment selector sender session shard signal sink slot snapshot socket
source span stage state status store stream subject summary table target task tenant
token topic trace tracker transport tree trigger tuple unit update upload value vector
version view volume watcher window worker writer zone
""".split()

RUST_CRATES = """serde serde_json tokio anyhow thiserror clap regex log tracing rand bytes
futures hyper reqwest url chrono uuid itertools once_cell parking_lot crossbeam rayon
smallvec indexmap hashbrown memchr bitflags libc syn quote proc-macro2 toml walkdir
ignore tempfile sha2 hex base64 flate2 tar zip glob globset aho-corasick bstr""".split()
NPM_PKGS = """react react-dom lodash express axios chalk commander debug uuid yargs
semver glob minimist moment dayjs zod typescript eslint prettier jest vitest webpack
rollup esbuild vite postcss tailwindcss classnames dotenv cors body-parser ws
node-fetch rxjs immer redux jsonwebtoken bcrypt mime qs cookie ms""".split()
PY_PKGS = """requests urllib3 certifi idna charset-normalizer click flask django
fastapi pydantic starlette uvicorn sqlalchemy alembic numpy pandas scipy attrs
pyyaml jinja2 markupsafe packaging pytest pluggy iniconfig rich typer httpx anyio
sniffio h11 boto3 botocore jmespath six python-dateutil pytz tzdata""".split()
GO_MODS = """github.com/spf13/cobra github.com/spf13/pflag github.com/stretchr/testify
github.com/google/uuid github.com/pkg/errors golang.org/x/sys golang.org/x/net
golang.org/x/text golang.org/x/sync golang.org/x/crypto google.golang.org/grpc
google.golang.org/protobuf github.com/gorilla/mux github.com/sirupsen/logrus
go.uber.org/zap go.uber.org/multierr github.com/prometheus/client_golang
github.com/davecgh/go-spew github.com/pmezard/go-difflib gopkg.in/yaml.v3
github.com/fsnotify/fsnotify github.com/mattn/go-isatty github.com/google/go-cmp
github.com/hashicorp/go-multierror github.com/cespare/xxhash/v2""".split()

MIT = """MIT License

Copyright (c) 2024 Example Authors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


class Gen:
    def __init__(self, out, seed):
        self.out = out
        self.rng = random.Random(seed)
        self.count = 0
        self.bytes = 0
        self.counts = {}
        self.corpora = {}

    # ---- primitives -------------------------------------------------------------

    def w(self):
        return self.rng.choice(WORDS)

    def camel(self, n=2):
        return "".join(self.w().capitalize() for _ in range(n))

    def snake(self, n=2):
        return "_".join(self.w() for _ in range(n))

    def size(self):
        s = int(self.rng.lognormvariate(math.log(MEDIAN_SIZE), SIGMA))
        return max(MIN_SIZE, min(MAX_SIZE, s))

    def hexstr(self, n):
        return self.rng.randbytes(n // 2 + 1).hex()[:n]

    def b64(self, nbytes):
        import base64

        return base64.b64encode(self.rng.randbytes(nbytes)).decode()

    def write(self, rel, data, kind):
        if isinstance(data, str):
            data = data.encode()
        path = os.path.join(self.out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        self.count += 1
        self.bytes += len(data)
        self.counts[kind] = self.counts.get(kind, 0) + 1

    @staticmethod
    def fit(text, limit=MAX_SIZE):
        """Cap generated text at `limit` bytes, cutting at a line end."""
        if len(text) <= limit:
            return text
        return text[: text.rfind("\n", 0, limit) + 1]

    # ---- source text ---------------------------------------------------------------

    def block(self, lang):
        a, b, c = self.w(), self.w(), self.w()
        A, B = a.capitalize() + b.capitalize(), c.capitalize()
        n = self.rng.randint(2, 4096)
        r = self.rng.random()
        if lang == "rs":
            if r < 0.06:
                return (
                    f"#[cfg(test)]\nmod tests {{\n    use super::*;\n\n    #[test]\n"
                    f"    fn {a}_{b}_round_trips() {{\n        let {a} = {A}::new({n});\n"
                    f"        assert_eq!({a}.{c}(), {n});\n    }}\n}}\n\n"
                )
            if r < 0.3:
                return (
                    f"/// A {a} {b} kept by the {c}.\n#[derive(Debug, Clone, Default)]\n"
                    f"pub struct {A} {{\n    {a}: u64,\n    {b}: Vec<{B}>,\n"
                    f"    {c}: Option<String>,\n}}\n\n"
                )
            return (
                f"/// Returns the {a} for the given {b}.\npub fn {a}_{b}(input: &{A}) -> "
                f"Result<{B}, Error> {{\n    let {c} = input.{b}()?;\n    if {c}.len() > {n} {{\n"
                f"        return Err(Error::TooLong({c}.len()));\n    }}\n"
                f"    Ok({B}::from({c}))\n}}\n\n"
            )
        if lang == "py":
            if r < 0.3:
                return (
                    f"class {A}:\n    \"\"\"A {a} {b} kept by the {c}.\"\"\"\n\n"
                    f"    def __init__(self, {a}, {b}=None):\n        self.{a} = {a}\n"
                    f"        self.{b} = {b} or []\n\n    def {c}(self):\n"
                    f"        return len(self.{b}) + {n}\n\n\n"
                )
            return (
                f"def {a}_{b}({c}, limit={n}):\n    \"\"\"Return the {a} for {c}.\"\"\"\n"
                f"    if len({c}) > limit:\n        raise ValueError(f\"{c} too long: {{len({c})}}\")\n"
                f"    return [{b} for {b} in {c} if {b}]\n\n\n"
            )
        if lang == "js":
            if r < 0.3:
                return (
                    f"export class {A} {{\n  constructor({a}, {b} = []) {{\n    this.{a} = {a};\n"
                    f"    this.{b} = {b};\n  }}\n\n  {c}() {{\n    return this.{b}.length + {n};\n"
                    f"  }}\n}}\n\n"
                )
            return (
                f"/**\n * Returns the {a} for the given {b}.\n */\nexport function {a}{B}({c}) {{\n"
                f"  if ({c}.length > {n}) {{\n    throw new Error(`{c} too long: ${{{c}.length}}`);\n"
                f"  }}\n  return {c}.map((x) => x.{b}).filter(Boolean);\n}}\n\n"
            )
        if lang == "go":
            if r < 0.3:
                return (
                    f"// {A} is a {a} {b} kept by the {c}.\ntype {A} struct {{\n"
                    f"\t{a.capitalize()} uint64\n\t{b.capitalize()} []{B}\n\tmu sync.Mutex\n}}\n\n"
                )
            return (
                f"// {A}{B} returns the {a} for the given {b}.\nfunc {A}{B}({c} []byte) ([]{B}, error) {{\n"
                f"\tif len({c}) > {n} {{\n\t\treturn nil, fmt.Errorf(\"{c} too long: %d\", len({c}))\n"
                f"\t}}\n\tout := make([]{B}, 0, len({c}))\n\treturn out, nil\n}}\n\n"
            )
        if lang == "java":
            return (
                f"    /**\n     * Returns the {a} for the given {b}.\n     */\n"
                f"    public {B} {a}{B}(List<{A}> {c}) {{\n        if ({c}.size() > {n}) {{\n"
                f"            throw new IllegalArgumentException(\"{c} too long\");\n        }}\n"
                f"        return {c}.stream().map({A}::{b}).findFirst().orElse(null);\n    }}\n\n"
            )
        if lang == "c":
            return (
                f"/* Returns the {a} for the given {b}. */\nint {a}_{b}(struct {c} *{c}, size_t len)\n{{\n"
                f"    if (len > {n}) {{\n        return -EINVAL;\n    }}\n"
                f"    for (size_t i = 0; i < len; i++) {{\n        {c}->{a} += {c}->{b}[i];\n    }}\n"
                f"    return 0;\n}}\n\n"
            )
        if lang == "h":
            if r < 0.4:
                return f"#define {a.upper()}_{b.upper()}_MAX {n}\n"
            return (
                f"struct {a}_{b} {{\n    uint64_t {c};\n    size_t len;\n}};\n\n"
                f"int {a}_{b}_init(struct {a}_{b} *{a}, size_t len);\n\n"
            )
        if lang == "md":
            if r < 0.15:
                return f"## {A} {B}\n\n"
            if r < 0.3:
                return f"```sh\n{a}-{b} --{c} {n}\n```\n\n"
            words = " ".join(self.w() for _ in range(self.rng.randint(20, 60)))
            return f"The {a} {b} {words}.\n\n"
        raise ValueError(lang)

    def corpus(self, lang):
        c = self.corpora.get(lang)
        if c is None:
            # Files start at a block boundary and run on (wrapping) until their size.
            parts, starts, total = [], [], 0
            while total < CORPUS_SIZE:
                p = self.block(lang)
                parts.append(p)
                starts.append(total)
                total += len(p)
            text = "".join(parts)
            c = (text + text, starts)
            self.corpora[lang] = c
        return c

    def header(self, lang, rel):
        parts = rel.split("/")
        pkg = parts[-2].replace("-", "_") if len(parts) > 1 else "main"
        if lang == "rs":
            return "// SPDX-License-Identifier: MIT\n\nuse std::collections::HashMap;\nuse crate::error::Error;\n\n"
        if lang == "py":
            return "# SPDX-License-Identifier: MIT\nimport os\nimport sys\nfrom typing import Any\n\n\n"
        if lang == "js":
            return "// SPDX-License-Identifier: MIT\n'use strict';\n\nimport { strict as assert } from 'node:assert';\n\n"
        if lang == "go":
            return f"// SPDX-License-Identifier: MIT\n\npackage {pkg}\n\nimport (\n\t\"fmt\"\n\t\"sync\"\n)\n\n"
        if lang == "java":
            return (
                f"// SPDX-License-Identifier: MIT\npackage com.example.{pkg};\n\nimport java.util.List;\n\n"
                f"public class {self.camel()} {{\n\n"
            )
        if lang in ("c", "h"):
            return "/* SPDX-License-Identifier: MIT */\n#include <errno.h>\n#include <stddef.h>\n#include <stdint.h>\n\n"
        if lang == "md":
            return f"# {self.camel()}\n\n"
        return ""

    def text_file(self, rel, lang, extra=""):
        size = self.size()
        head = self.header(lang, rel) + extra
        text, starts = self.corpus(lang)
        need = max(0, size - len(head))
        i = starts[self.rng.randrange(len(starts) // 2)]
        self.write(rel, head + text[i : i + need], lang)

    def binary_file(self, rel):
        size = max(self.size(), 256)
        # ELF64 little-endian header: magic, class, data, version, then e_type/e_machine.
        head = b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"\x03\x00\x3e\x00\x01\x00\x00\x00"
        self.write(rel, head + self.rng.randbytes(size - len(head)), "elf")

    # ---- manifests and lockfiles ---------------------------------------------------------

    def deps(self, pool, lo, hi):
        return self.rng.sample(pool, min(len(pool), self.rng.randint(lo, hi)))

    def ver(self):
        r = self.rng
        return f"{r.randint(0, 4)}.{r.randint(0, 30)}.{r.randint(0, 20)}"

    def rust_project(self, d, name):
        deps = self.deps(RUST_CRATES, 3, 15)
        lines = [
            "[package]",
            f'name = "{name}"',
            f'version = "{self.ver()}"',
            'edition = "2021"',
            'license = "MIT"',
            "",
            "[dependencies]",
        ]
        lines += [f'{dep} = "{self.ver()}"' for dep in deps]
        self.write(f"{d}/Cargo.toml", "\n".join(lines) + "\n", "manifest")
        out = ["# This file is automatically @generated by Cargo.", "# It is not intended for manual editing.", "version = 4", ""]
        pkgs = sorted(set(deps + self.deps(RUST_CRATES + WORDS, 10, 250)))
        for p in pkgs:
            out += [
                "[[package]]",
                f'name = "{p}"',
                f'version = "{self.ver()}"',
                'source = "registry+https://github.com/rust-lang/crates.io-index"',
                f'checksum = "{self.hexstr(64)}"',
                "",
            ]
        self.write(f"{d}/Cargo.lock", self.fit("\n".join(out)), "lockfile")

    def node_project(self, d, name):
        deps = self.deps(NPM_PKGS, 3, 15)
        manifest = {
            "name": f"@example/{name}",
            "version": self.ver(),
            "license": "MIT",
            "type": "module",
            "scripts": {"build": "vite build", "test": "vitest run"},
            "dependencies": {p: f"^{self.ver()}" for p in deps},
        }
        self.write(f"{d}/package.json", json.dumps(manifest, indent=2) + "\n", "manifest")
        lock = {
            "name": manifest["name"],
            "version": manifest["version"],
            "lockfileVersion": 3,
            "requires": True,
            "packages": {"": {"name": manifest["name"], "dependencies": manifest["dependencies"]}},
        }
        for p in sorted(set(deps + self.deps(NPM_PKGS + WORDS, 10, 200))):
            v = self.ver()
            lock["packages"][f"node_modules/{p}"] = {
                "version": v,
                "resolved": f"https://registry.npmjs.org/{p}/-/{p}-{v}.tgz",
                "integrity": f"sha512-{self.b64(64)}",
                "license": "MIT",
            }
            # Keep the lockfile within the size cap, as valid JSON.
            if len(json.dumps(lock, indent=2)) > MAX_SIZE - 1:
                del lock["packages"][f"node_modules/{p}"]
                break
        self.write(f"{d}/package-lock.json", json.dumps(lock, indent=2) + "\n", "lockfile")

    def python_project(self, d, name):
        deps = self.deps(PY_PKGS, 3, 12)
        lines = [
            "[project]",
            f'name = "{name}"',
            f'version = "{self.ver()}"',
            'requires-python = ">=3.9"',
            'license = "MIT"',
            "dependencies = [",
        ]
        lines += [f'    "{p}>={self.ver()}",' for p in deps]
        lines += ["]", "", "[build-system]", 'requires = ["poetry-core"]', 'build-backend = "poetry.core.masonry.api"']
        self.write(f"{d}/pyproject.toml", "\n".join(lines) + "\n", "manifest")
        out = ["# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.", ""]
        for p in sorted(set(deps + self.deps(PY_PKGS + WORDS, 10, 150))):
            v = self.ver()
            out += [
                "[[package]]",
                f'name = "{p}"',
                f'version = "{v}"',
                f'description = "The {self.w()} {self.w()} library"',
                "optional = false",
                'python-versions = ">=3.8"',
                "files = [",
                f'    {{file = "{p}-{v}-py3-none-any.whl", hash = "sha256:{self.hexstr(64)}"}},',
                f'    {{file = "{p}-{v}.tar.gz", hash = "sha256:{self.hexstr(64)}"}},',
                "]",
                "",
            ]
        out += ["[metadata]", 'lock-version = "2.0"', 'python-versions = ">=3.9"', f'content-hash = "{self.hexstr(64)}"', ""]
        self.write(f"{d}/poetry.lock", self.fit("\n".join(out)), "lockfile")

    def go_project(self, d, name):
        deps = self.deps(GO_MODS, 3, 12)
        lines = [f"module example.com/{name}", "", "go 1.22", "", "require ("]
        vers = {m: f"v{self.rng.randint(0, 1)}.{self.rng.randint(0, 30)}.{self.rng.randint(0, 20)}" for m in sorted(set(deps + self.deps(GO_MODS, 5, len(GO_MODS))))}
        lines += [f"\t{m} {vers[m]}" + ("" if m in deps else " // indirect") for m in vers]
        lines += [")"]
        self.write(f"{d}/go.mod", "\n".join(lines) + "\n", "manifest")
        out = []
        for m, v in vers.items():
            out.append(f"{m} {v} h1:{self.b64(32)}")
            out.append(f"{m} {v}/go.mod h1:{self.b64(32)}")
        self.write(f"{d}/go.sum", "\n".join(out) + "\n", "lockfile")

    # ---- trees -------------------------------------------------------------------------

    def source_tree(self, root, n, langs, weights, depth=0):
        """Write n source files under root, nested up to 5 levels."""
        here = n if depth >= 4 or n <= 30 else min(n, self.rng.randint(4, 25))
        used = set()
        for _ in range(here):
            lang = self.rng.choices(langs, weights)[0]
            base = self.source_name(lang)
            name, k = base, 1
            while name in used:
                k += 1
                stem, ext = base.rsplit(".", 1)
                name = f"{stem}{k}.{ext}"
            used.add(name)
            extra = ""
            if lang == "go" and name.endswith("_test.go"):
                extra = "func TestRoundTrip(t *testing.T) {\n\tt.Parallel()\n}\n\n"
            self.text_file(f"{root}/{name}", lang, extra)
        rest = n - here
        if rest <= 0:
            return
        k = self.rng.randint(2, 5)
        cuts = sorted(self.rng.randint(0, rest) for _ in range(k - 1))
        shares = [b - a for a, b in zip([0] + cuts, cuts + [rest])]
        names = set()
        for share in shares:
            if share == 0:
                continue
            sub = self.w()
            while sub in names:
                sub = self.w() + str(self.rng.randint(2, 99))
            names.add(sub)
            self.source_tree(f"{root}/{sub}", share, langs, weights, depth + 1)

    def source_name(self, lang):
        if lang == "java":
            return f"{self.camel()}.java"
        if lang == "js":
            return f"{self.w()}{self.w().capitalize()}.js"
        if lang == "go" and self.rng.random() < 0.25:
            return f"{self.snake()}_test.go"
        if lang == "py" and self.rng.random() < 0.15:
            return f"test_{self.snake()}.py"
        return f"{self.snake()}.{lang}"

    def readme(self, rel, title):
        body = f"# {title}\n\nThe {self.w()} {self.w()} for the {self.w()} service.\n\n## Usage\n\n"
        text, starts = self.corpus("md")
        i = starts[self.rng.randrange(len(starts) // 2)]
        self.write(rel, body + text[i : i + max(0, self.size() - len(body))], "md")

    def workflow(self, name):
        sha = self.hexstr(40)
        return (
            f"name: {name}\n\non:\n  push:\n    branches: [main]\n  pull_request:\n\n"
            f"permissions:\n  contents: read\n\njobs:\n  {name}:\n    runs-on: ubuntu-latest\n"
            f"    steps:\n      - uses: actions/checkout@{sha} # v4.1.7\n"
            f"      - run: make {name}\n"
        )


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("outdir")
    args = ap.parse_args()
    n = args.files
    if n < 200:
        sys.exit("gen-tree.py: --files must be at least 200")
    if os.path.exists(args.outdir) and os.listdir(args.outdir):
        sys.exit(f"gen-tree.py: {args.outdir} exists and is not empty")
    os.makedirs(args.outdir, exist_ok=True)
    g = Gen(args.outdir, args.seed)
    rng = g.rng

    # Top level.
    g.write(".gitignore", "# Build output\nbuild/\n*.tmp\nnode_modules/\n__pycache__/\n/target/\n", "meta")
    g.readme("README.md", "Example monorepo")
    g.write(
        "SECURITY.md",
        "# Security Policy\n\n## Supported Versions\n\nOnly the latest release is supported.\n\n"
        "## Reporting a Vulnerability\n\nPlease report vulnerabilities privately through GitHub "
        "security advisories or by email to security@example.invalid. We answer within 3 "
        "working days and publish an advisory once a fix is released.\n",
        "md",
    )
    g.write("LICENSE", MIT, "meta")
    g.readme("CONTRIBUTING.md", "Contributing")
    for wf in ["ci", "release", "codeql", "lint", "nightly", "docs", "scorecard", "fuzz"]:
        g.write(f".github/workflows/{wf}.yml", g.workflow(wf), "yml")
    g.write(".github/dependabot.yml", "version: 2\nupdates:\n  - package-ecosystem: cargo\n    directory: /\n    schedule:\n      interval: weekly\n", "yml")

    n_projects = max(4, min(100, round(n / 1000)))
    n_docs = max(5, min(60, n // 2000))
    n_build = n // 20
    n_bin = max(4, n // 200)

    for i in range(n_docs):
        sub = "docs" if i < n_docs // 2 else f"docs/{rng.choice(['guide', 'reference', 'design', 'howto'])}"
        g.readme(f"{sub}/{g.snake()}-{i}.md", g.camel())

    # Subprojects: manifest + lockfile + README each.
    kinds = [
        ("rs", g.rust_project, ["rs"], [1]),
        ("js", g.node_project, ["js"], [1]),
        ("py", g.python_project, ["py"], [1]),
        ("go", g.go_project, ["go"], [1]),
    ]
    groups = ["crates", "packages", "services", "libs", "tools"]
    projects = []
    names = set()
    root_cargo_members = []
    for i in range(n_projects):
        kind = kinds[i % len(kinds)]
        name = f"{g.w()}-{g.w()}"
        while name in names:
            name = f"{g.w()}-{g.w()}-{i}"
        names.add(name)
        d = f"{rng.choice(groups)}/{name}"
        kind[1](d, name)
        g.readme(f"{d}/README.md", name)
        if kind[0] == "rs":
            root_cargo_members.append(d)
        projects.append((d, kind))
    g.write(
        "Cargo.toml",
        "[workspace]\nresolver = \"2\"\nmembers = [\n" + "".join(f'    "{m}",\n' for m in root_cargo_members) + "]\n",
        "manifest",
    )

    # Ignored build output.
    for i in range(n_build):
        r = rng.random()
        sub = f"build/{rng.choice(['debug', 'release'])}/{rng.choice(['obj', 'deps', 'gen', 'logs'])}/{i % 50:02d}"
        if r < 0.5:
            g.binary_file(f"{sub}/{g.snake()}-{i}.o")
        elif r < 0.7:
            deps = " ".join(f"include/{g.w()}.h" for _ in range(rng.randint(4, 40)))
            g.write(f"{sub}/{g.snake()}-{i}.d", f"{sub}/{i}.o: src/{g.snake()}.c {deps}\n", "build")
        else:
            g.text_file(f"{sub}/{g.snake()}_{i}.rs", "rs")

    # Binary blobs, spread over subprojects and a top-level prebuilt/.
    for i in range(n_bin):
        d = rng.choice(projects)[0] if rng.random() < 0.7 else "prebuilt"
        ext = rng.choice(["", ".so", ".bin", ".o"])
        g.binary_file(f"{d}/{rng.choice(['bin', 'assets', 'resources'])}/{g.w()}-{i}{ext}")

    # Whatever is left is source: 88% in subprojects, 12% in native/ and android/.
    left = n - g.count
    if left < 0:
        sys.exit("gen-tree.py: --files too small for the fixed part of the tree")
    third = left * 12 // 100
    g.source_tree("native/src", third * 2 // 3, ["c", "h"], [2, 1])
    g.source_tree("android/app/src/main/java", third - third * 2 // 3, ["java"], [1])
    left = n - g.count
    weights = [rng.random() + 0.2 for _ in projects]
    total_w = sum(weights)
    shares = [int(left * w / total_w) for w in weights]
    shares[-1] += left - sum(shares)
    extra_langs = ["java", "c", "h", "js", "py"]
    for (d, kind), share in zip(projects, shares):
        if share <= 0:
            continue
        primary = kind[0]
        src = {"rs": "src", "js": "src", "py": d.rsplit("/", 1)[1].replace("-", "_"), "go": "pkg"}[primary]
        langs = [primary] + [x for x in extra_langs if x != primary]
        weights_l = [16] + [1] * (len(langs) - 1)
        g.source_tree(f"{d}/{src}", share, langs, weights_l)

    assert g.count == n, (g.count, n)
    print(json.dumps({"files": g.count, "bytes": g.bytes, "projects": n_projects, "ignored_build_files": n_build, "kinds": g.counts}, sort_keys=True))


if __name__ == "__main__":
    main()
