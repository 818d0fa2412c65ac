"""Resolution and thresholds of the OCR engine (points scale with the rendering's dpi)."""


from __future__ import annotations

#: Rendering resolution (dots per inch); Tesseract reads best with an x-height of 20-30 pixels.
DPI = 300
#: Tesseract's language model and page segmentation mode (6: one uniform block of text).
LANG = "vie"
PSM = 6
#: Longest skew (degrees) that is measured and corrected; a page turned further is taken as it is.
MAX_SKEW = 5.0
#: The skew search, coarse to fine: (resolution in dpi the ink is shrunk to, step in degrees). The first stage
#: scans ±MAX_SKEW, each later one about the previous stage's best angle; a row of the shrunk image
#: must be small against the drift of a rule over the page at the stage's step.
SKEW_STAGES = ((50, 0.25), (100, 0.05), (300, 0.01))
#: Each later stage scans the previous best angle ± this many of the previous stage's steps.
SKEW_REACH = 2
#: Kernel lengths (points) of the morphological openings that keep horizontal and vertical rules: longer
#: than any stroke of a letter, shorter than the shortest rule (a one-line row is about 18 pt high).
H_KERNEL_PT = 24.0
V_KERNEL_PT = 11.0
#: Before the openings the ink is thickened across the rule direction by this much (points) on each side, so
#: that a 1-px rule that jogs by a pixel (a scan turned with nearest-neighbour resampling, or a residual skew)
#: stays one connected run: about 2 px at 300 dpi, one pixel of a 150-200 dpi scan.
BRIDGE_PT = 0.45
#: A "rule" whose centre line bends away from a straight line by more than this (points) is an arc (a seal's
#: ring, a signature's loop) and is dropped.
CURVE_PT = 0.9
#: Rule positions closer than this (points) are the same rule.
SNAP_PT = 5.0
#: A vertical rule ends this close (points) to a horizontal rule at both ends (letters stop short of them),
#: or within ``END_FRAC`` of its own length (a scanned border fades or breaks near its end).
END_TOL_PT = 2.0
END_FRAC = 0.08
#: Collinear pieces of a rule interrupted by something laid over it (a seal, a signature, a stain) make one rule
#: when together they cover at least this share of the span between the two rules across them.
BRIDGE_COVER = 0.6
#: Pieces of the vertical mask shorter than this (points) are letters (a bold capital's bow with its mark),
#: not rules, when the rules are erased before reading.
MIN_RULE_PT = 16.0
#: A piece of vertical rule shorter than ``MIN_RULE_PT`` that touches a row's rule counts for a column side when
#: its centre lies this close (points) to the column's line (a rule broken where a signature crossed it); a bold
#: capital's stem sitting on the rule stands anywhere within the snapping band.
ALIGN_PT = 0.6
#: A column rule's pieces together run down at least this fraction of its table's height (a bold capital with
#: its marks can fill a one-line row from rule to rule).
V_SUPPORT = 0.2
#: Ink reaching closer than this (points) to the edge of the image is the scanner's frame, the page's shadow or
#: the desk around a photographed page, never a table or its title (a page's margins are wider).
EDGE_PT = 18.0
#: A grid side is ruled when the rule mask covers more than this fraction of it.
RULED = 0.5
#: A group of rules is a table when its outline is at least this wide and high (points).
MIN_TABLE_PT = (100.0, 30.0)
#: Cells narrower than this (points) hold numbers (STT): they are read in a run of their own.
NARROW_PT = 45.0
#: The first column also holds numbers when it is at most this fraction of its table's width (an STT column
#: drawn wider than NARROW_PT, e.g. 1.75 cm of a landscape table, is still the narrowest by far).
NUMBER_COL_FRAC = 0.1
#: Cut this far (points) inside a cell's rules, and leave this gap (pixels) between the stacked pieces.
INSET_PT = 1.2
GAP_PX = 48
#: A cell with fewer ink pixels than this (after erasing the rules) is empty.
MIN_INK_PX = 25
#: Words Tesseract is less sure of than this (0-100) and without a letter or digit are noise.
MIN_NOISE_CONF = 60.0
#: Colour ink (a red seal, a blue signature) is told from black ink by its chroma (max - min of R, G, B, 0-255):
#: the gray level is raised by this many times the chroma. Red or blue ink, whatever its strength (a seal's
#: faint, anti-aliased edge too), darkens the gray level by about 1-1.3 times its chroma, so it becomes paper;
#: black ink has almost none and stays, black over red (text under a seal) too.
CHROMA_GAIN = 1.3
#: Scans below this resolution (dpi), enlarged to ``DPI`` for reading, get an unsharp mask (a Gaussian of this
#: sigma in pixels, this amount) before Tesseract reads them. Measured: a 150-dpi colour scan 0.86 → 0.90 exact
#: cells; on 200-300 dpi scans it costs (0.98 → 0.94 on the bundled 200-dpi scan), so they are read as they are.
SHARPEN_BELOW_DPI = 180.0
UNSHARP_SIGMA = 1.5
UNSHARP_AMOUNT = 0.6
#: The paper's brightness is estimated on the page shrunk by this factor with a maximum filter this wide
#: (shrunk pixels): wider than any stroke or rule, narrower than a shadow's gradient.
PAPER_SHRINK = 8
PAPER_KERNEL = 7


def _points(px: float) -> float:
    return px * 72.0 / DPI


def _pixels(pt: float) -> int:
    return max(1, round(pt * DPI / 72.0))


