#!/usr/bin/env python3
"""Generate a deterministic synthetic monorepo of lockfiles for scripts/bench-sbom.

Usage: gen-monorepo.py [--lockfiles N] [--components C] [--seed S] OUTDIR

Writes N projects (default 200), each with one lockfile, under OUTDIR (which must not
exist or be empty), holding C third-party packages in all (default 50000; each project
also has its own root package). The mix, by share of the lockfiles / of the packages:

  rust/crate-NNN/    Cargo.toml + Cargo.lock (v4) + src/lib.rs           20% / 20%
  web/app-NNN/       package.json + package-lock.json (lockfileVersion 3) 25% / 35%
  py/poetry-NNN/     pyproject.toml + poetry.lock (lock-version 2.0/2.1) 10% /  6%
  py/uv-NNN/         pyproject.toml + uv.lock (version 1)                 7.5% / 4.5%
  py/req-NNN/        requirements.in + requirements.txt (--hash)         10% /  4%
  go/svc-NNN/        go.mod + go.sum + main.go                           17.5% / 22.5%
  php/site-NNN/      composer.json + composer.lock                       10% /  8%

Every project also has a README.md. Package names are invented (drawn per ecosystem
from a pool, so projects share some packages, as in a real monorepo) and so are the
versions, but the shapes follow what the real tools write: Cargo's `checksum` is 64 hex
digits, npm's `integrity` is `sha512-` and 88 base64 characters, Poetry/uv/pip hashes are
`sha256:` and 64 hex digits, go.sum has `h1:` and 44 base64 characters for the module
and its go.mod, Composer's references are 40 hex digits and its content-hash 32.
Dependency edges form a DAG inside each lockfile and only name packages of that lockfile.

Everything comes from one random.Random(seed): the same arguments give byte-identical
trees. Prints a one-line JSON summary on stdout (files, lockfiles and packages per
ecosystem).
"""

import argparse
import base64
import json
import os
import random
import sys

# name, share of lockfiles, share of packages
ECOSYSTEMS = [
    ("cargo", 0.20, 0.20),
    ("npm", 0.25, 0.35),
    ("poetry", 0.10, 0.06),
    ("uv", 0.075, 0.045),
    ("requirements", 0.10, 0.04),
    ("go", 0.175, 0.225),
    ("composer", 0.10, 0.08),
]

SYLLABLES = """
ab ac ad al am an ar as at ba be bi bo bu ca ce ci co cu da de di do du el em en er es
fa fe fi fo fu ga ge gi go gu ha he hi ho hu ib id il im in ir is ja je jo ju ka ke ki
ko ku la le li lo lu ma me mi mo mu na ne ni no nu ob od ol om on or os pa pe pi po pu
qua que ra re ri ro ru sa se si so su ta te ti to tu ul um un ur us va ve vi vo vu wa
we wi wo xa xe xi ya yo za ze zi zo zu
""".split()

SUFFIXES = """
core util utils kit lib io fmt codec derive macros sys rt async sync net http json yaml
toml parse parser cli log trace test mock cache pool queue hash crypto time date uuid
""".split()

LICENSES = ["MIT", "Apache-2.0", "BSD-3-Clause", "ISC", "MPL-2.0", "BSD-2-Clause"]

WORDS = """
fast small simple tiny robust portable async typed minimal safe streaming pluggable
parser encoder decoder client server helpers bindings toolkit framework utilities layer
for with and the of in data files text numbers time network messages configuration
""".split()


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    # ---- primitives -----------------------------------------------------------------

    def hexstr(self, n):
        return "".join(self.r.choice("0123456789abcdef") for _ in range(n))

    def b64(self, nbytes):
        return base64.b64encode(bytes(self.r.getrandbits(8) for _ in range(nbytes))).decode()

    def word(self, parts=None):
        k = parts or self.r.choice([2, 2, 3, 3, 4])
        return "".join(self.r.choice(SYLLABLES) for _ in range(k))

    def semver(self, major_max=4):
        major = self.r.choice([0, 0, 1, 1, 1, 2, 3][: major_max + 3])
        return f"{major}.{self.r.randint(0, 40)}.{self.r.randint(0, 25)}"

    def sentence(self):
        n = self.r.randint(3, 8)
        s = " ".join(self.r.choice(WORDS) for _ in range(n))
        return s[0].upper() + s[1:]

    # ---- pools ----------------------------------------------------------------------

    def pool(self, size, make):
        seen, out = set(), []
        while len(out) < size:
            n = make()
            if n not in seen:
                seen.add(n)
                out.append(n)
        return out

    def versions(self, names, fmt=None):
        """Two or three versions per package name."""
        out = {}
        for n in names:
            vs = sorted({self.semver() for _ in range(self.r.randint(2, 3))})
            out[n] = [fmt(v) if fmt else v for v in vs]
        return out


def crate_name(g):
    base = g.word()
    if g.r.random() < 0.45:
        return f"{base}{g.r.choice(['-', '_'])}{g.r.choice(SUFFIXES)}"
    return base


def npm_name(g):
    base = g.word()
    if g.r.random() < 0.5:
        base = f"{base}-{g.r.choice(SUFFIXES)}"
    if g.r.random() < 0.15:
        return f"@{g.word(2)}/{base}"
    return base


def py_name(g):
    base = g.word()
    if g.r.random() < 0.4:
        base = f"{base}-{g.r.choice(SUFFIXES)}"
    return base


def go_path(g):
    kind = g.r.random()
    if kind < 0.75:
        return f"github.com/{g.word(2)}/{g.word()}"
    if kind < 0.85:
        return f"golang.org/x/{g.word(2)}"
    if kind < 0.93:
        return f"gopkg.in/{g.word()}.v{g.r.randint(1, 3)}"
    return f"go.{g.word(2)}.io/{g.word()}"


def php_name(g):
    return f"{g.word(2)}/{g.word()}{'-' + g.r.choice(SUFFIXES) if g.r.random() < 0.4 else ''}"


def pick(g, pool, versions, n):
    names = g.r.sample(pool, n)
    return [(name, g.r.choice(versions[name])) for name in names]


def dag_edges(g, count, roots, max_extra=4):
    """Edges i -> j with j > i (so no cycles). Nodes 0..roots-1 are the direct
    dependencies; every later node gets one parent before it (so each package is
    reachable from a direct one) and each node a few more edges to later nodes."""
    edges = [set() for _ in range(count)]
    for j in range(roots, count):
        edges[g.r.randrange(j)].add(j)
    for i in range(count - 1):
        k = min(count - 1 - i, int(g.r.expovariate(1 / 1.2)), max_extra)
        if k > 0:
            edges[i].update(g.r.sample(range(i + 1, count), k))
    return [sorted(e) for e in edges]


def reachable(edges, starts):
    seen, stack = set(), list(starts)
    while stack:
        i = stack.pop()
        if i not in seen:
            seen.add(i)
            stack.extend(edges[i])
    return seen


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def readme(d, title, kind):
    write(os.path.join(d, "README.md"), f"# {title}\n\nA {kind} project in the synthetic monorepo.\n")


def pep503(name):
    return name.lower().replace("_", "-").replace(".", "-")


def wheel_stem(name):
    return name.replace("-", "_")


# ---- Cargo --------------------------------------------------------------------------


def gen_cargo(g, d, idx, n, pool, versions):
    name = f"crate-{idx:03d}"
    pkgs = pick(g, pool, versions, n)
    direct = list(range(min(n, g.r.randint(5, 15))))
    edges = dag_edges(g, n, len(direct))
    dev = set(direct[: max(1, len(direct) // 5)])
    toml = [
        "[package]",
        f'name = "{name}"',
        'version = "0.1.0"',
        'edition = "2021"',
        f'description = "{g.sentence()}"',
        'license = "MIT OR Apache-2.0"',
        "publish = false",
        "",
        "[dependencies]",
    ]
    for i in direct:
        if i in dev:
            continue
        pn, pv = pkgs[i]
        if g.r.random() < 0.2:
            toml.append(f'{pn} = {{ version = "{pv}", features = ["std"] }}')
        else:
            toml.append(f'{pn} = "{pv}"')
    toml += ["", "[dev-dependencies]"]
    for i in sorted(dev):
        pn, pv = pkgs[i]
        toml.append(f'{pn} = "{pv}"')
    write(os.path.join(d, "Cargo.toml"), "\n".join(toml) + "\n")
    write(os.path.join(d, "src", "lib.rs"), "//! Synthetic crate.\n\npub fn answer() -> u32 {\n    42\n}\n")

    entries = []
    for i in range(n):
        pn, pv = pkgs[i]
        entries.append(
            (pn, pv, "registry+https://github.com/rust-lang/crates.io-index", g.hexstr(64), sorted(pkgs[j][0] for j in edges[i]))
        )
    entries.append((name, "0.1.0", None, None, sorted(pkgs[i][0] for i in direct)))
    entries.sort(key=lambda e: (e[0], e[1]))
    out = [
        "# This file is automatically @generated by Cargo.",
        "# It is not intended for manual editing.",
        "version = 4",
    ]
    for pn, pv, src, ck, deps in entries:
        out += ["", "[[package]]", f'name = "{pn}"', f'version = "{pv}"']
        if src:
            out += [f'source = "{src}"', f'checksum = "{ck}"']
        if deps:
            out.append("dependencies = [")
            out += [f' "{x}",' for x in deps]
            out.append("]")
    write(os.path.join(d, "Cargo.lock"), "\n".join(out) + "\n")
    readme(d, name, "Rust")


# ---- npm ----------------------------------------------------------------------------


def gen_npm(g, d, idx, n, pool, versions):
    name = f"app-{idx:03d}"
    pkgs = pick(g, pool, versions, n)
    direct = list(range(min(n, g.r.randint(8, 25))))
    edges = dag_edges(g, n, len(direct))
    devd = set(direct[: max(1, len(direct) // 3)])
    # Everything reachable only from dev roots is dev.
    reach_prod = reachable(edges, [i for i in direct if i not in devd])
    deps = {pkgs[i][0]: f"^{pkgs[i][1]}" for i in direct if i not in devd}
    dev_deps = {pkgs[i][0]: f"^{pkgs[i][1]}" for i in sorted(devd)}
    manifest = {
        "name": name,
        "version": "1.0.0",
        "private": True,
        "description": g.sentence(),
        "scripts": {"build": "tsc -p .", "test": "node --test"},
        "dependencies": dict(sorted(deps.items())),
        "devDependencies": dict(sorted(dev_deps.items())),
    }
    write(os.path.join(d, "package.json"), json.dumps(manifest, indent=2) + "\n")
    root = {"name": name, "version": "1.0.0", "dependencies": manifest["dependencies"], "devDependencies": manifest["devDependencies"]}
    packages = {"": root}
    entries = []
    for i in range(n):
        pn, pv = pkgs[i]
        tail = pn.rsplit("/", 1)[-1]
        e = {
            "version": pv,
            "resolved": f"https://registry.npmjs.org/{pn}/-/{tail}-{pv}.tgz",
            "integrity": "sha512-" + g.b64(64),
        }
        if i not in reach_prod:
            e["dev"] = True
        e["license"] = g.r.choice(LICENSES)
        if edges[i]:
            e["dependencies"] = {pkgs[j][0]: f"^{pkgs[j][1]}" for j in sorted(edges[i], key=lambda j: pkgs[j][0])}
        if g.r.random() < 0.3:
            e["engines"] = {"node": f">={g.r.choice([8, 10, 12, 14, 16, 18])}"}
        if g.r.random() < 0.1:
            e["funding"] = {"url": f"https://github.com/sponsors/{g.word(2)}"}
        entries.append((f"node_modules/{pn}", e))
    entries.sort()
    packages.update(entries)
    lock = {"name": name, "version": "1.0.0", "lockfileVersion": 3, "requires": True, "packages": packages}
    write(os.path.join(d, "package-lock.json"), json.dumps(lock, indent=2) + "\n")
    readme(d, name, "Node")


# ---- Python -------------------------------------------------------------------------


def py_files(g, name, version, wheels):
    stem = wheel_stem(name)
    out = []
    tags = ["py3-none-any"] if wheels == 1 else [
        f"cp3{m}-cp3{m}-{plat}"
        for m in (10, 11, 12)
        for plat in ("manylinux_2_17_x86_64.manylinux2014_x86_64", "macosx_11_0_arm64", "win_amd64")
    ][:wheels]
    for t in tags:
        out.append((f"{stem}-{version}-{t}.whl", g.hexstr(64)))
    out.append((f"{stem}-{version}.tar.gz", g.hexstr(64)))
    return out


def uv_project(g, d, name, direct_specs, dev_specs):
    """PEP 621 pyproject.toml with a PEP 735 dev group, as `uv init` writes."""
    lines = [
        "[project]",
        f'name = "{name}"',
        'version = "0.1.0"',
        f'description = "{g.sentence()}"',
        'requires-python = ">=3.9"',
        "dependencies = [",
    ]
    lines += [f'    "{s}",' for s in direct_specs]
    lines += ["]", "", "[dependency-groups]", "dev = ["]
    lines += [f'    "{n}>={v}",' for n, v in dev_specs]
    lines.append("]")
    write(os.path.join(d, "pyproject.toml"), "\n".join(lines) + "\n")


def gen_poetry(g, d, idx, n, pool, versions):
    """A Poetry project in the [tool.poetry] layout, which Poetry 1.8 and 2.x both read.
    Even projects are locked by Poetry 1.8 (lock-version 2.0), odd ones by Poetry 2.x
    (lock-version 2.1, with `groups` per package)."""
    name = f"poetry-{idx:03d}"
    poetry2 = idx % 2 == 1
    pkgs = pick(g, pool, versions, n)
    direct = list(range(min(n, g.r.randint(5, 12))))
    edges = dag_edges(g, n, len(direct))
    devd = set(direct[: max(1, len(direct) // 4)])
    toml = [
        "[tool.poetry]",
        f'name = "{name}"',
        'version = "0.1.0"',
        f'description = "{g.sentence()}"',
        'authors = ["Monorepo Team <team@example.invalid>"]',
        'readme = "README.md"',
        "package-mode = false",
        "",
        "[tool.poetry.dependencies]",
        'python = "^3.9"',
    ]
    toml += [f'{pkgs[i][0]} = "^{pkgs[i][1]}"' for i in direct if i not in devd]
    toml += ["", "[tool.poetry.group.dev.dependencies]"]
    toml += [f'{pkgs[i][0]} = "^{pkgs[i][1]}"' for i in sorted(devd)]
    core = ">=2.0.0,<3.0.0" if poetry2 else ">=1.0.0"
    toml += ["", "[build-system]", f'requires = ["poetry-core{core}"]', 'build-backend = "poetry.core.masonry.api"']
    write(os.path.join(d, "pyproject.toml"), "\n".join(toml) + "\n")
    reach = reachable(edges, [i for i in direct if i not in devd])
    version = "2.1.3" if poetry2 else "1.8.5"
    out = [f"# This file is automatically @generated by Poetry {version} and should not be changed by hand."]
    for i in sorted(range(n), key=lambda i: pkgs[i][0]):
        pn, pv = pkgs[i]
        out += [
            "",
            "[[package]]",
            f'name = "{pn}"',
            f'version = "{pv}"',
            f'description = "{g.sentence()}"',
            "optional = false",
            f'python-versions = ">={g.r.choice(["3.7", "3.8", "3.9"])}"',
        ]
        if poetry2:
            out.append('groups = ["main"]' if i in reach else 'groups = ["dev"]')
        out.append("files = [")
        for fn, h in py_files(g, pn, pv, g.r.choice([1, 1, 1, 3])):
            out.append(f'    {{file = "{fn}", hash = "sha256:{h}"}},')
        out.append("]")
        if edges[i]:
            out += ["", "[package.dependencies]"]
            for j in sorted(edges[i], key=lambda j: pkgs[j][0]):
                out.append(f'{pkgs[j][0]} = ">={pkgs[j][1]}"')
    out += [
        "",
        "[metadata]",
        f'lock-version = "{"2.1" if poetry2 else "2.0"}"',
        'python-versions = "^3.9"',
        f'content-hash = "{g.hexstr(64)}"',
    ]
    write(os.path.join(d, "poetry.lock"), "\n".join(out) + "\n")
    readme(d, name, "Python (Poetry)")


def gen_uv(g, d, idx, n, pool, versions):
    name = f"uv-{idx:03d}"
    pkgs = pick(g, pool, versions, n)
    direct = list(range(min(n, g.r.randint(5, 12))))
    edges = dag_edges(g, n, len(direct))
    devd = set(direct[: max(1, len(direct) // 4)])
    uv_project(
        g, d, name,
        [f"{pkgs[i][0]}>={pkgs[i][1]}" for i in direct if i not in devd],
        [(pkgs[i][0], pkgs[i][1]) for i in sorted(devd)],
    )
    entries = []
    for i in range(n):
        pn, pv = pkgs[i]
        files = py_files(g, pn, pv, g.r.choice([1, 1, 1, 3]))
        blk = [
            "[[package]]",
            f'name = "{pn}"',
            f'version = "{pv}"',
            'source = { registry = "https://pypi.org/simple" }',
        ]
        if edges[i]:
            blk.append("dependencies = [")
            blk += [f'    {{ name = "{pkgs[j][0]}" }},' for j in sorted(edges[i], key=lambda j: pkgs[j][0])]
            blk.append("]")

        def url(fn):
            return f"https://files.pythonhosted.org/packages/{g.hexstr(2)}/{g.hexstr(2)}/{g.hexstr(60)}/{fn}"

        def stamp():
            return f"20{g.r.randint(19, 25)}-{g.r.randint(1, 12):02d}-{g.r.randint(1, 28):02d}T{g.r.randint(0, 23):02d}:{g.r.randint(0, 59):02d}:{g.r.randint(0, 59):02d}Z"

        sd_fn, sd_h = files[-1]
        blk.append(
            f'sdist = {{ url = "{url(sd_fn)}", hash = "sha256:{sd_h}", size = {g.r.randint(5000, 900000)}, upload-time = "{stamp()}" }}'
        )
        blk.append("wheels = [")
        for fn, h in files[:-1]:
            blk.append(f'    {{ url = "{url(fn)}", hash = "sha256:{h}", size = {g.r.randint(5000, 900000)}, upload-time = "{stamp()}" }},')
        blk.append("]")
        entries.append((pn, blk))
    root = [
        "[[package]]",
        f'name = "{name}"',
        'version = "0.1.0"',
        'source = { virtual = "." }',
        "dependencies = [",
    ]
    root += [f'    {{ name = "{pkgs[i][0]}" }},' for i in sorted((i for i in direct if i not in devd), key=lambda i: pkgs[i][0])]
    root += ["]", "", "[package.dev-dependencies]", "dev = ["]
    root += [f'    {{ name = "{pkgs[i][0]}" }},' for i in sorted(devd, key=lambda i: pkgs[i][0])]
    root += ["]", "", "[package.metadata]", "requires-dist = ["]
    root += [f'    {{ name = "{pkgs[i][0]}", specifier = ">={pkgs[i][1]}" }},' for i in sorted((i for i in direct if i not in devd), key=lambda i: pkgs[i][0])]
    root += ["]", "", "[package.metadata.requires-dev]", "dev = ["]
    root += [f'    {{ name = "{pkgs[i][0]}", specifier = ">={pkgs[i][1]}" }},' for i in sorted(devd, key=lambda i: pkgs[i][0])]
    root.append("]")
    entries.append((name, root))
    entries.sort(key=lambda e: e[0])
    out = ["version = 1", "revision = 2", 'requires-python = ">=3.9"']
    for _, blk in entries:
        out += [""] + blk
    write(os.path.join(d, "uv.lock"), "\n".join(out) + "\n")
    readme(d, name, "Python (uv)")


def gen_requirements(g, d, idx, n, pool, versions):
    name = f"req-{idx:03d}"
    pkgs = pick(g, pool, versions, n)
    direct = list(range(min(n, g.r.randint(4, 10))))
    edges = dag_edges(g, n, len(direct))
    parents = {}
    for i in range(n):
        for j in edges[i]:
            parents.setdefault(j, []).append(pkgs[i][0])
    write(os.path.join(d, "requirements.in"), "".join(f"{pkgs[i][0]}>={pkgs[i][1]}\n" for i in direct))
    out = [
        "#",
        "# This file is autogenerated by pip-compile with Python 3.12",
        "# by the following command:",
        "#",
        "#    pip-compile --generate-hashes requirements.in",
        "#",
    ]
    for i in sorted(range(n), key=lambda i: pkgs[i][0]):
        pn, pv = pkgs[i]
        hashes = [h for _, h in py_files(g, pn, pv, g.r.choice([1, 1, 3]))]
        out.append(f"{pn}=={pv} \\")
        for k, h in enumerate(sorted(hashes)):
            out.append(f"    --hash=sha256:{h}" + (" \\" if k < len(hashes) - 1 else ""))
        via = sorted(parents.get(i, []))
        if i in direct:
            via = ["-r requirements.in"] + via
        if len(via) == 1:
            out.append(f"    # via {via[0]}")
        elif via:
            out.append("    # via")
            out += [f"    #   {v}" for v in via]
    write(os.path.join(d, "requirements.txt"), "\n".join(out) + "\n")
    readme(d, name, "Python (pip-tools)")


# ---- Go -----------------------------------------------------------------------------


def go_version(g, path, v):
    """A Go module version: the major matches the path (v0/v1, or gopkg.in's .vN),
    sometimes a pseudo-version."""
    _, minor, patch = v.split(".")
    major = path.rsplit(".v", 1)[1] if path.startswith("gopkg.in/") else g.r.choice("011")
    v = f"{major}.{minor}.{patch}"
    if major in "01" and g.r.random() < 0.12:
        return f"v0.0.0-20{g.r.randint(18, 25)}{g.r.randint(1, 12):02d}{g.r.randint(1, 28):02d}{g.r.randint(0, 23):02d}{g.r.randint(0, 59):02d}{g.r.randint(0, 59):02d}-{g.hexstr(12)}"
    return "v" + v


def gen_go(g, d, idx, n, pool, versions):
    name = f"svc-{idx:03d}"
    mods = pick(g, pool, versions, n)
    direct = set(g.r.sample(range(n), min(n, g.r.randint(6, 18))))
    out = [f"module example.com/monorepo/go/{name}", "", "go 1.22", "", "require ("]
    out += [f"\t{mods[i][0]} {mods[i][1]}" for i in sorted(direct, key=lambda i: mods[i][0])]
    out += [")", "", "require ("]
    out += [f"\t{mods[i][0]} {mods[i][1]} // indirect" for i in sorted(set(range(n)) - direct, key=lambda i: mods[i][0])]
    out.append(")")
    write(os.path.join(d, "go.mod"), "\n".join(out) + "\n")
    sums = []
    for p, v in mods:
        sums.append(f"{p} {v} h1:{g.b64(32)}")
        sums.append(f"{p} {v}/go.mod h1:{g.b64(32)}")
        if g.r.random() < 0.15:  # an older version kept for its go.mod only
            sums.append(f"{p} v0.{g.r.randint(0, 9)}.{g.r.randint(0, 9)}/go.mod h1:{g.b64(32)}")
    sums.sort()
    write(os.path.join(d, "go.sum"), "\n".join(sums) + "\n")
    write(os.path.join(d, "main.go"), 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("ok")\n}\n')
    readme(d, name, "Go")


# ---- Composer -----------------------------------------------------------------------


def gen_composer(g, d, idx, n, pool, versions):
    name = f"site-{idx:03d}"
    pkgs = pick(g, pool, versions, n)
    direct = list(range(min(n, g.r.randint(5, 12))))
    edges = dag_edges(g, n, len(direct))
    devd = set(direct[: max(1, len(direct) // 4)])
    reach = reachable(edges, [i for i in direct if i not in devd])
    manifest = {
        "name": f"monorepo/{name}",
        "type": "project",
        "license": "proprietary",
        "require": {"php": ">=8.1", **{pkgs[i][0]: f"^{pkgs[i][1]}" for i in direct if i not in devd}},
        "require-dev": {pkgs[i][0]: f"^{pkgs[i][1]}" for i in sorted(devd)},
    }
    write(os.path.join(d, "composer.json"), json.dumps(manifest, indent=4) + "\n")
    prod, dev = [], []
    for i in sorted(range(n), key=lambda i: pkgs[i][0]):
        pn, pv = pkgs[i]
        ref = g.hexstr(40)
        vendor, short = pn.split("/")
        e = {
            "name": pn,
            "version": pv if g.r.random() < 0.7 else f"v{pv}",
            "source": {"type": "git", "url": f"https://github.com/{vendor}/{short}.git", "reference": ref},
            "dist": {
                "type": "zip",
                "url": f"https://api.github.com/repos/{vendor}/{short}/zipball/{ref}",
                "reference": ref,
                "shasum": "",
            },
        }
        req = {"php": ">=7.4"}
        req.update({pkgs[j][0]: f"^{pkgs[j][1]}" for j in sorted(edges[i], key=lambda j: pkgs[j][0])})
        e["require"] = req
        e["type"] = "library"
        e["autoload"] = {"psr-4": {f"{vendor.capitalize()}\\{short.capitalize()}\\": "src/"}}
        e["notification-url"] = "https://packagist.org/downloads/"
        e["license"] = [g.r.choice(LICENSES)]
        e["description"] = g.sentence()
        e["time"] = f"20{g.r.randint(19, 25)}-{g.r.randint(1, 12):02d}-{g.r.randint(1, 28):02d}T{g.r.randint(0, 23):02d}:{g.r.randint(0, 59):02d}:{g.r.randint(0, 59):02d}+00:00"
        (prod if i in reach else dev).append(e)
    lock = {
        "_readme": [
            "This file locks the dependencies of your project to a known state",
            "Read more about it at https://getcomposer.org/doc/01-basic-usage.md#installing-dependencies",
            "This file is @generated automatically",
        ],
        "content-hash": g.hexstr(32),
        "packages": prod,
        "packages-dev": dev,
        "aliases": [],
        "minimum-stability": "stable",
        "stability-flags": {},
        "prefer-stable": False,
        "prefer-lowest": False,
        "platform": {"php": ">=8.1"},
        "platform-dev": {},
        "plugin-api-version": "2.6.0",
    }
    write(os.path.join(d, "composer.lock"), json.dumps(lock, indent=4) + "\n")
    readme(d, name, "PHP")


LAYOUT = {
    "cargo": ("rust", gen_cargo),
    "npm": ("web", gen_npm),
    "poetry": ("py", gen_poetry),
    "uv": ("py", gen_uv),
    "requirements": ("py", gen_requirements),
    "go": ("go", gen_go),
    "composer": ("php", gen_composer),
}


def split(total, shares):
    """Integers proportional to shares that add up to total (largest remainder)."""
    raw = [total * s for s in shares]
    out = [int(x) for x in raw]
    rest = sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)
    for i in rest[: total - sum(out)]:
        out[i] += 1
    return out


def sizes(g, total, count):
    """count positive sizes around total/count (log-normal spread) adding up to total."""
    w = [g.r.lognormvariate(0, 0.5) for _ in range(count)]
    s = sum(w)
    return split(total, [x / s for x in w])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lockfiles", type=int, default=200)
    ap.add_argument("--components", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("outdir")
    a = ap.parse_args()
    if a.lockfiles < len(ECOSYSTEMS):
        sys.exit(f"--lockfiles must be at least {len(ECOSYSTEMS)}")
    if a.components < a.lockfiles * 10:
        sys.exit("--components must be at least 10 per lockfile")
    if os.path.exists(a.outdir) and os.listdir(a.outdir):
        sys.exit(f"{a.outdir} exists and is not empty")

    g = Gen(a.seed)
    locks = split(a.lockfiles, [e[1] for e in ECOSYSTEMS])
    comps = split(a.components, [e[2] for e in ECOSYSTEMS])
    per = {eco: [max(1, n) for n in sizes(g, nc, nl)] for (eco, _, _), nl, nc in zip(ECOSYSTEMS, locks, comps)}

    def pool_size(base, *ecos):
        # Large enough that a project's packages are a sample of the pool.
        return max(base, 2 * max(max(per[e]) for e in ecos))

    py_pool = g.pool(pool_size(4000, "poetry", "uv", "requirements"), lambda: py_name(g))
    py_versions = g.versions(py_pool)
    pools = {
        "cargo": g.pool(pool_size(6000, "cargo"), lambda: crate_name(g)),
        "npm": g.pool(pool_size(12000, "npm"), lambda: npm_name(g)),
        "go": g.pool(pool_size(6000, "go"), lambda: go_path(g)),
        "composer": g.pool(pool_size(3000, "composer"), lambda: php_name(g)),
    }
    versions = {k: g.versions(v) for k, v in pools.items()}
    versions["go"] = {p: sorted({go_version(g, p, v) for v in vs}) for p, vs in versions["go"].items()}
    for k in ("poetry", "uv", "requirements"):
        pools[k], versions[k] = py_pool, py_versions

    leaves = {"cargo": "crate", "npm": "app", "poetry": "poetry", "uv": "uv", "requirements": "req", "go": "svc", "composer": "site"}
    summary = {"seed": a.seed, "lockfiles": 0, "packages": 0, "by_ecosystem": {}}
    for eco, _, _ in ECOSYSTEMS:
        top, fn = LAYOUT[eco]
        for k, n in enumerate(per[eco]):
            d = os.path.join(a.outdir, top, f"{leaves[eco]}-{k:03d}")
            fn(g, d, k, n, pools[eco], versions[eco])
        summary["by_ecosystem"][eco] = {"lockfiles": len(per[eco]), "packages": sum(per[eco])}
        summary["lockfiles"] += len(per[eco])
        summary["packages"] += sum(per[eco])
    write(
        os.path.join(a.outdir, "README.md"),
        "# Synthetic monorepo\n\nGenerated by scripts/gen-monorepo.py for scripts/bench-sbom.\n",
    )
    files = sum(len(fs) for _, _, fs in os.walk(a.outdir))
    summary["files"] = files
    print(json.dumps(summary, sort_keys=True))


if __name__ == "__main__":
    main()
