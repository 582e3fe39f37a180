"""The voting service: candidate books, nominations, monthly polls, votes and live counts."""
