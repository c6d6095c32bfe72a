"""Hypothesis strategies for canonical objects, restricted to a set of features.

A feature is a capability name from a format's `SUPPORTS`; `None` means every feature.
"""

from __future__ import annotations

from hypothesis import strategies as st
from msgspec import UNSET

import rerank_formats as rf

ALL = None

text = st.text(max_size=12)
names = st.sampled_from(["title", "text", "author", "body", "url"])


def _has(features: frozenset[str] | None, feature: str) -> bool:
    return features is None or feature in features


def object_documents(*, with_text: bool | None) -> st.SearchStrategy[rf.ObjectDocument]:
    fields = st.dictionaries(names, text, min_size=0, max_size=3)
    if with_text is True:
        fields = st.builds(lambda extra, t: {**extra, "text": t}, fields, text)
    elif with_text is False:
        fields = fields.map(lambda f: {k: v for k, v in f.items() if k != "text"})
    # a lone {"text"} or {"image"} object is a TextDocument or an ImageDocument
    fields = fields.filter(lambda f: not (len(f) == 1 and ("text" in f or "image" in f)))
    return fields.map(lambda f: rf.ObjectDocument(fields=f))


def documents(features: frozenset[str] | None, *, request: bool) -> st.SearchStrategy[rf.Document]:
    shapes: list[st.SearchStrategy[rf.Document]] = [
        text,
        text.map(lambda t: rf.TextDocument(text=t)),
        object_documents(with_text=True),
    ]
    if _has(features, "image_documents" if request else "image_echo"):
        shapes.append(text.map(lambda t: rf.ImageDocument(image=t)))
    if _has(features, "object_documents" if request else "object_echo"):
        shapes.append(object_documents(with_text=False))
    return st.one_of(shapes)


def optional(
    strategy: st.SearchStrategy[object], *, null: bool = True
) -> st.SearchStrategy[object]:
    choices = [st.just(UNSET), strategy]
    if null:
        choices.append(st.none())
    return st.one_of(choices)


@st.composite
def requests(draw: st.DrawFn, features: frozenset[str] | None = ALL) -> rf.RerankRequest:
    query_shapes = [text, text.map(lambda t: rf.TextDocument(text=t))]
    if _has(features, "object_query"):  # legacy Jina: {text, ...} and image queries
        query_shapes += [
            object_documents(with_text=True),
            text.map(lambda t: rf.ImageDocument(image=t)),
        ]
    fields: dict[str, object] = {
        "query": draw(st.one_of(query_shapes)),
        "documents": tuple(draw(st.lists(documents(features, request=True), max_size=4))),
        "model": draw(text if features is not None else optional(text, null=False)),
        "top_n": draw(optional(st.integers(0, 10))),
        "return_documents": draw(optional(st.booleans())),
        "return_embeddings": draw(
            optional(st.booleans() if _has(features, "return_embeddings") else st.just(False))
        ),
    }
    if _has(features, "truncation"):
        fields["truncation"] = draw(optional(st.booleans()))
    if _has(features, "max_doc_length"):
        fields["max_doc_length"] = draw(optional(st.integers(1, 8192), null=False))
    return rf.RerankRequest(**fields)  # type: ignore[arg-type]


def usages(features: frozenset[str] | None) -> st.SearchStrategy[object]:
    counts = st.integers(0, 10**6)
    shapes: list[st.SearchStrategy[object]] = [st.builds(rf.Usage, total_tokens=counts)]
    shapes.append(counts.map(lambda t: rf.Usage(total_tokens=t, prompt_tokens=t)))
    shapes.append(
        counts.map(lambda t: rf.Usage(total_tokens=t, prompt_tokens=t, completion_tokens=0))
    )
    if _has(features, "usage_split"):
        shapes.append(
            st.builds(
                lambda p, c: rf.Usage(total_tokens=p + c, prompt_tokens=p, completion_tokens=c),
                counts,
                counts,
            )
        )
    if features is None:  # any combination, consistent or not
        shapes.append(
            st.builds(
                rf.Usage,
                total_tokens=counts,
                prompt_tokens=optional(counts, null=False),
                completion_tokens=optional(counts, null=False),
            )
        )
    return optional(st.one_of(shapes))


scores = st.floats(allow_nan=False, allow_infinity=False, width=64)


@st.composite
def responses(draw: st.DrawFn, features: frozenset[str] | None = ALL) -> rf.RerankResponse:
    indices = draw(st.lists(st.integers(0, 20), unique=True, max_size=5))
    embeddings = st.lists(scores, max_size=3) if _has(features, "embeddings") else st.nothing()
    results = tuple(
        rf.RerankResult(
            index=index,
            relevance_score=draw(scores),
            document=draw(optional(documents(features, request=False))),
            embedding=draw(
                optional(embeddings) if _has(features, "embeddings") else st.just(UNSET)
            ),
        )
        for index in indices
    )
    return rf.RerankResponse(
        results=results,
        model=draw(optional(text, null=False)),
        object=draw(optional(st.just("list"), null=False)),
        usage=draw(usages(features)),  # type: ignore[arg-type]
    )


def json_values() -> st.SearchStrategy[object]:
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), scores, st.text(max_size=8)
    )
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(st.text(max_size=8), children, max_size=4),
        ),
        max_leaves=20,
    )
