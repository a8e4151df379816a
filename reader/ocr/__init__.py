"""OCR of scanned pages with Tesseract: page images (pageimage), recognition (engine), worker
processes (pool), the queue of pages waiting (queue) and the language data (languages)."""
