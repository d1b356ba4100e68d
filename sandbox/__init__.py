"""Local stand-ins for the platforms' APIs and a seeded generator of messy multichannel leads."""
