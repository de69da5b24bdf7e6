"""Course helpers: what students are given, never what they must write.

One small module per topic (``convolution``, ``fourier``, ``backprop``, ``cnn``,
``generative``, ``geometry``) and shared
pieces (``images``, ``plotting``, ``timing``, ``widgets``, ``training``, ``testing``).
"""

__all__ = ["images", "plotting", "timing", "widgets", "training", "testing",
           "convolution", "fourier", "backprop", "cnn", "generative", "geometry"]
