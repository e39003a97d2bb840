"""The Panda3D adapter: windows and offscreen buffers, the scene, figures, desktop input.

Engine objects (the ShowBase, its render node, camera and window) are always passed
in; nothing here reads Panda3D's builtins or configures anything at import time.
"""
