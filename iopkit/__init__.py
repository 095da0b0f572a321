"""iopkit: validate and render agreements for idéburet offentligt partnerskap (IOP)."""

__version__ = "0.1.0"
