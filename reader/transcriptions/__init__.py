"""OCR and transcriptions exchanged with other tools: ALTO and hOCR out, ALTO and PAGE XML in."""
