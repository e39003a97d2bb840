"""The 3D world: the scene, the characters, the props, the tools in hand, the subjects' voices."""
