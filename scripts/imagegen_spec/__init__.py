"""Tools for the image-generation API specification and its mock server."""
