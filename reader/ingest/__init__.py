"""Reading files of every supported format into pages of text (or pages awaiting OCR):
reader.ingest.formats picks the reader for a file; base holds the shared records and limits."""
