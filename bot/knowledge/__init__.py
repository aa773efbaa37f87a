"""Finding knowledge: full-text search, sentence embeddings and what is built on them."""
