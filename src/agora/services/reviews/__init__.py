"""The reviews service: the album catalog and users' reviews and ratings of the music seed."""
