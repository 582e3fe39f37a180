"""The timeline service: tweets, the user and home timelines of the Twitter-like seed."""
