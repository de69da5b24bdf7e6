"""Course helpers: what students are given, never what they must write.

One small module per topic (``convolution``, ``fourier``, ``backprop``, ...) and
shared pieces (``images``, ``plotting``, ``timing``, ``widgets``, ``testing``).
"""

__all__ = ["images", "plotting", "timing", "testing"]
