"""The read side: what digests, nudges, App Home and replies show, read in one transaction
and returned as frozen views. Nothing here decides a permission or changes an item."""
