//! Integration tests: they run the `wenku` binary on fixtures.
