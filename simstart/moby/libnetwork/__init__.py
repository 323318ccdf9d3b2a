"""libnetwork as vendored in moby v17.05.0-ce (``vendor/github.com/docker/libnetwork`` at
5d4e5de): it runs *inside* dockerd. One module per upstream file it models."""
