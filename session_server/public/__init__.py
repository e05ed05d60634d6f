"""What a citizen sees without signing in: the councils' front door, short readable addresses, link previews for
shared links, search across a council's public record, and feeds to subscribe to."""
