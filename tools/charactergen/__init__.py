"""The built-in humanoid, made from code: skeleton, skinned body pieces and animation clips,
written as one glTF 2.0 binary (``assets/characters/humanoid.glb``) by ``tools/make_character.py``.

Everything here is deterministic: the same code writes the same bytes.
"""
