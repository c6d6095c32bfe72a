"""One module per wire format, each with the same face: `NAME`, `SUPPORTS`, `DEFAULTS` (the
provider's documented defaults, which are no loss), its wire Structs, `REQUEST` / `RESPONSE`
codecs, `field_loss`, and the four `*_to_canonical` / `*_from_canonical` functions. The
registry (`rerank_formats.registry`) lists them."""
