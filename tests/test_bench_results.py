"""bench/RESULTS.md is written by section: a benchmark that rewrites its own section keeps every other one."""

from __future__ import annotations

from bench.results import FIRST, sections, write_section

TEXT = """# Benchmark results

the synthetic table

<!-- extraction-linear -->
## Extraction

rates

<!-- postgresql -->
## PostgreSQL

the pg table
"""


def test_a_section_rewritten_keeps_the_others(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text(TEXT)
    write_section(FIRST, "# Benchmark results\n\na new synthetic table\n", path)
    write_section("postgresql", "## PostgreSQL\n\na new pg table\n", path)
    got = dict(sections(path.read_text()))
    assert list(got) == [FIRST, "extraction-linear", "postgresql"]
    assert "a new synthetic table" in got[FIRST] and "the synthetic table" not in got[FIRST]
    assert got["extraction-linear"] == "## Extraction\n\nrates\n\n"
    assert "a new pg table" in got["postgresql"] and "the pg table" not in got["postgresql"]


def test_a_new_section_goes_at_the_end_and_the_file_reads_back_as_written(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text(TEXT)
    write_section("provenance", "## Provenance\n\nnumbers\n", path)
    text = path.read_text()
    assert text.startswith(TEXT.rstrip("\n"))
    assert text.endswith("<!-- provenance -->\n## Provenance\n\nnumbers\n")
    for name, body in sections(text):
        write_section(name, body, path)
    assert path.read_text() == text
