"""The discussions service: book-of-the-month threads, chat rooms (album, genre, book lobby, sports)
and real-time chat over WebSocket."""
