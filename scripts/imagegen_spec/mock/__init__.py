"""Mock server support: deterministic image rendering and image storage."""
