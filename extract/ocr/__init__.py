"""The OCR engine's stages (extract/ocr_engine.py runs them): settings, tesseract, raster, grid, reading,
numbering, tones."""
