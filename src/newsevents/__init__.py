"""newsevents: news pages to an annotated entity/event corpus published as a Hugging Face dataset."""

__version__ = "0.1.0"
