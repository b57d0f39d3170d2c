"""One pure parser per source format: bytes in, plain records out, no ORM."""
