"""hrgraph build: one named graph per source, deterministic, materialised inferences, and a bad
file that stops the build while the previous store keeps answering."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from servers import drop_generated

from hrgraph.build.pipeline import BuildError, BuildReport, build, discover_sources
from hrgraph.rdf.vocab import BUILD_GRAPH, GRAPH, INFERRED_GRAPH
from hrgraph.settings import Settings
from hrgraph.store.generations import StoreError, StoreLocation
from hrgraph.store.local import GraphStore

ID = "https://w3id.org/hrgraph/id/"
HRG = "https://w3id.org/hrgraph/ontology#"


def test_one_graph_per_source_file_in_a_fixed_order(project_root: Path) -> None:
    sources = discover_sources(Settings(root=project_root))
    data_files = sorted(p.name for p in (project_root / "data").glob("*.ttl"))
    assert len(data_files) >= 5
    assert [s.relative for s in sources] == ["ontology/hrgraph.ttl"] + [
        f"data/{name}" for name in data_files
    ]
    assert [s.graph.value for s in sources] == [GRAPH + "ontology"] + [
        GRAPH + "data/" + name.removesuffix(".ttl") for name in data_files
    ]


def test_each_graph_holds_exactly_the_triples_of_its_file(
    built: tuple[BuildReport, GraphStore], project_root: Path
) -> None:
    report, store = built
    assert len(report.graphs) == 1 + len(list((project_root / "data").glob("*.ttl")))
    for graph in report.graphs:
        expected = len(rdflib.Graph().parse(project_root / graph.source, format="turtle"))
        assert graph.triples == expected, graph.source
        assert store.graph_size(ox.NamedNode(graph.graph)) == expected


def test_the_build_is_deterministic(project_root: Path) -> None:
    def canonical() -> set[str]:
        _, store = build(Settings(root=project_root))
        dataset = ox.Dataset(
            quad
            for graph in store.named_graphs()
            if graph != BUILD_GRAPH
            for quad in _quads(store, graph)
        )
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        return {str(quad) for quad in dataset}

    assert canonical() == canonical()


def _quads(store: GraphStore, graph: ox.NamedNode) -> list[ox.Quad]:
    result = store.query(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}",
        default_graphs=[],
    )
    assert isinstance(result, ox.QuerySolutions)
    return [ox.Quad(row["s"], row["p"], row["o"], graph) for row in result]


@pytest.mark.parametrize(
    ("triple", "why"),
    [
        (
            f"<{ID}institution/kaz/commissioner-for-human-rights> a <http://www.w3.org/ns/org#Organization>",
            "hrg:Institution is aligned with org:FormalOrganization, an org:Organization",
        ),
        (
            f"<{ID}action/kaz/iccpr-ratification> a <{HRG}ConsentToBeBound>",
            "subclass closure",
        ),
        (
            f"<{ID}treaty/iccpr/art-22> <http://purl.org/dc/terms/source> "
            f"<{ID}source/statengeneraal-iccpr>",
            "hrg:source is a subproperty of dcterms:source",
        ),
        (
            f"<{ID}treaty/iccpr/art-22/para-2> <{HRG}provisionOf> <{ID}treaty/iccpr/art-22>",
            "hrg:provisionOf is the inverse of hrg:hasProvision",
        ),
        (
            f"<{ID}treaty/iccpr/art-22> <http://data.europa.eu/eli/ontology#is_part_of> "
            f"<{ID}treaty/iccpr>",
            "inverse, then its ELI superproperty",
        ),
    ],
)
def test_materialised_inferences(store: GraphStore, triple: str, why: str) -> None:
    inferred = store.query(
        f"ASK {{ GRAPH <{INFERRED_GRAPH.value}> {{ {triple} }} }}", default_graphs=[]
    )
    assert bool(inferred), why


def test_outbound_links_to_official_copies(store: GraphStore) -> None:
    rows = store.query(
        f"""SELECT ?target WHERE {{ GRAPH <{INFERRED_GRAPH.value}> {{
          <{ID}act/kaz/z050000091> <http://www.w3.org/2000/01/rdf-schema#seeAlso> ?target }} }}""",
        default_graphs=[],
    )
    assert isinstance(rows, ox.QuerySolutions)
    assert [r["target"].value for r in rows] == ["https://adilet.zan.kz/eng/docs/Z050000091_"]


def test_kazakh_acts_get_eli_style_aliases(store: GraphStore) -> None:
    rows = store.query(
        f"""SELECT ?alias WHERE {{ GRAPH <{INFERRED_GRAPH.value}> {{
          <{ID}act/kaz/z050000091> <http://www.w3.org/2002/07/owl#sameAs> ?alias }} }}""",
        default_graphs=[],
    )
    assert isinstance(rows, ox.QuerySolutions)
    assert [r["alias"].value for r in rows] == ["https://w3id.org/hrgraph/eli/kaz/law/2005/91"]


def test_treaty_binding_is_derived_from_the_ratification(store: GraphStore) -> None:
    rows = store.query(
        f"""SELECT ?from ?stated ?action ?until WHERE {{
          <{ID}binding/kaz/iccpr> a <{HRG}TreatyBinding> ;
            <{HRG}boundState> <{ID}state/kaz> ; <{HRG}boundInstrument> <{ID}treaty/iccpr> ;
            <{HRG}validFrom> ?from ; <{HRG}bindingStartAsStated> ?stated ;
            <{HRG}derivedFromAction> ?action .
          OPTIONAL {{ <{ID}binding/kaz/iccpr> <{HRG}validUntil> ?until }}
        }}"""
    )
    assert isinstance(rows, ox.QuerySolutions)
    assert [(r["from"].value, r["stated"].value, r["action"].value, r["until"]) for r in rows] == [
        ("2006-04-24", "2006-04-24", f"{ID}action/kaz/iccpr-ratification", None)
    ]


def test_build_records_what_it_built_from(store: GraphStore) -> None:
    rows = store.query(
        f"""SELECT ?id ?sum WHERE {{ GRAPH <{BUILD_GRAPH.value}> {{
          <{GRAPH}data/iccpr> <http://purl.org/dc/terms/identifier> ?id ;
                             <http://spdx.org/rdf/terms#checksumValue> ?sum }} }}""",
        default_graphs=[],
    )
    assert isinstance(rows, ox.QuerySolutions)
    values = [(r["id"].value, r["sum"].value[:7]) for r in rows]
    assert values == [("data/iccpr.ttl", "sha256:")]


def test_a_malformed_file_names_file_line_and_column(project_copy: Path) -> None:
    (project_copy / "data" / "broken.ttl").write_text(
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b ex:c ex:d .\n"
    )
    with pytest.raises(BuildError) as caught:
        build(Settings(root=project_copy))
    assert (caught.value.path, caught.value.line) == ("data/broken.ttl", 3)
    assert str(caught.value).startswith("data/broken.ttl:3:")


def test_a_failed_build_leaves_the_previous_store_serving(project_copy: Path) -> None:
    store_path = project_copy / "var" / "store"
    settings = Settings(root=project_copy, store_path=store_path)
    first, _ = build(settings)
    location = StoreLocation(store_path)
    served = location.current()
    assert served is not None

    (project_copy / "data" / "broken.ttl").write_text(
        "<http://example.org/a> <http://example.org/b> .\n"
    )
    with pytest.raises(BuildError, match=r"^data/broken\.ttl:1:"):
        build(settings)

    assert location.current() == served
    assert len(_generations(store_path)) == 1, "the failed generation is removed"
    reopened = GraphStore.open_read_only(location)
    assert bool(reopened.query("ASK { ?s ?p ?o }"))
    assert sum(reopened.graph_size(ox.NamedNode(g.graph)) for g in first.graphs) == sum(
        g.triples for g in first.graphs
    )


def test_a_new_build_is_published_atomically_and_old_ones_pruned(project_copy: Path) -> None:
    drop_generated(project_copy / "data")  # the curated data: five builds of it, not the world's
    store_path = project_copy / "store"
    settings = Settings(root=project_copy, store_path=store_path)
    generations = []
    for _ in range(5):
        build(settings)
        generations.append(StoreLocation(store_path).current())
    assert len(set(generations)) == 5
    assert _generations(store_path) == sorted(generations[-3:])


def _generations(store_path: Path) -> list[Path]:
    """The generation folders (not the lock file and the readers' pins, ``.lock``, ``.pins``)."""
    return sorted(p for p in (store_path / "generations").iterdir() if not p.name.startswith("."))


def test_a_store_path_that_is_not_a_store_is_refused(project_copy: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(StoreError, match="not an hrgraph store"):
        build(Settings(root=project_copy, store_path=foreign))
    assert [p.name for p in foreign.iterdir()] == ["holiday.jpg"]


def test_opening_a_store_that_was_never_built_says_so(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"no built store at .*run `hrgraph build"):
        GraphStore.open_read_only(StoreLocation(tmp_path / "empty"))


def test_no_statement_is_made_in_two_files(store: GraphStore) -> None:
    """The default graph is the union of the files' graphs, and a triple stated in two files
    would come back twice from every query that matches it: each fact has one home."""
    rows = store.query(
        """SELECT ?s ?p ?o (GROUP_CONCAT(STR(?g); separator=" ") AS ?graphs) WHERE {
          GRAPH ?g { ?s ?p ?o }
          FILTER (STRSTARTS(STR(?g), "https://w3id.org/hrgraph/graph/"))
        } GROUP BY ?s ?p ?o HAVING (COUNT(?g) > 1) ORDER BY ?s ?p""",
        default_graphs=[],
    )
    assert isinstance(rows, ox.QuerySolutions)
    repeated = [f"{r['s']} {r['p']} {r['o']} in {r['graphs'].value}" for r in rows]
    assert repeated == []
