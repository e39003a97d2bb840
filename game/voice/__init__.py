"""The trainee's voice: a vocabulary of phrases per intent, an offline recogniser, a
streaming listener (voice-activity detection, endpointing, tone) and the microphone.

Nothing here is imported by ``game.core``: the listener turns audio into the same
``Say`` events a key gives (or ``SpeechHeard`` for speech it did not understand), and
the runner submits them. The recogniser's engine (pocketsphinx) is imported only when
a recogniser is built, so the rest of Talkdown works without the ``voice`` extra.
"""
