"""Input bindings as data: action names bound to keys (desktop) or controller paths (XR)."""
