"""Free speech: Whisper + the sentence matcher behind the grammar's fast path, fed real
(synthetic, noisy) audio through the microphone's streaming path; the cleaning of
fillers and false starts; two intents in one sentence; the journal of every utterance;
a scenario talked to a peaceful end in natural sentences by voice; and the one-line
fallback to the grammar without the ``speech`` extra.

Whisper takes ~0.5-1 s a clip on two cores: these tests use a handful of clips; the
full held-out set is ``talkdown bench``'s (docs/benchmarks.md).
"""

from __future__ import annotations

import pytest

from game.voice.understand import clauses, clean, drop_repeats


def _needs_speech():
    try:
        import faster_whisper  # noqa: F401
        import onnxruntime  # noqa: F401
        import pocketsphinx  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"{exc.name} is not installed (pip install 'talkdown[speech]'; bootstrap's test command does)")
    from game.voice.synth import espeak

    if espeak() is None:
        pytest.skip("espeak-ng is not installed (Debian: apt install espeak-ng)")


@pytest.fixture(scope="module")
def free():
    _needs_speech()
    from game.voice.hear import create_listener

    return create_listener(free=True)


def _spoken(text, n=0, voice=("en-us", 150), gain_db=0.0):
    from game.voice.synth import synthesize, with_noise

    return with_noise(synthesize(text, voice=voice[0], speed=voice[1]), snr_db=25.0, seed=100 + n, gain_db=gain_db)


def _hear(listener, pcm):
    from game.voice.bench import stream

    return stream(listener, pcm)[0]


# ------------------------------------------------------------------ words, without audio


def test_fillers_and_false_starts_are_cleaned_before_matching():
    assert clean("uh, um, so what's your name") == "what's your name"
    assert drop_repeats("show me your show me your hands".split()) == "show me your hands".split()
    assert [c for _, c in clauses("put the, uh, put the knife down")] == ["put the knife down"]
    assert [c for _, c in clauses("I, I understand, that's hard")] == ["i understand", "that's hard"]
    assert [c for _, c in clauses("okay. stop!")] == ["stop"]
    assert [c for _, c in clauses("listen")] == ["listen"]


def test_two_intents_in_one_sentence_are_both_found_in_order_and_talk_is_nothing():
    _needs_speech()
    from game.voice.exemplars import generate
    from game.voice.understand import IntentMatcher
    from game.content.vocabulary import load_vocabulary

    v = load_vocabulary()
    m = IntentMatcher(generate(v.phrases, v.examples), fillers=v.fillers)
    assert [f.intent for f in m.match("Police! Show me your hands!")] == ["identify", "command_show_hands"]
    assert [f.intent for f in m.match("Hi, my name's Sam, I'm with the police.")] == ["greet", "identify"]
    found = m.match("uh, can you tell me what happened tonight")
    assert [f.intent for f in found] == ["ask_what_happened"] and 0.6 <= found[0].confidence <= 1.0
    assert m.match("I think the bakery closes at six on Sundays") == []


# ------------------------------------------------------------------ real audio through the streaming path


def test_held_out_paraphrases_are_understood_and_out_of_domain_talk_is_not_through_the_streaming_path(free):
    """A fixed sample of the held-out set (never tuned on): every ninth line, one voice."""
    from game.voice.bench_free import load_set

    sample = load_set("heldout")[::9]
    right = wrong = ood_accepted = 0
    seen = []
    for n, line in enumerate(sample):
        got = [i for u in _hear(free, _spoken(line["text"], n)) for i in u.intents]
        seen.append((line["text"], line["intents"], got))
        if not line["intents"]:
            ood_accepted += bool(got)
        elif got == line["intents"]:
            right += 1
        elif any(g not in line["intents"] for g in got):
            wrong += 1
    said = sum(1 for line in sample if line["intents"])
    assert ood_accepted == 0, seen
    assert right >= said // 2 and wrong <= 2, seen


def test_every_utterance_reaches_the_journal_with_its_words_intents_confidence_and_tone(free):
    from game.content.library import DEFAULT_SCENARIO, resolve
    from game.content.scenario import load_scenario
    from game.core.journal import MemoryJournal
    from game.core.simulation import Simulation

    sim = Simulation(load_scenario(resolve(DEFAULT_SCENARIO, "scenarios")).scenario, seed=1, journal=MemoryJournal())
    for n, text in enumerate(["Hi there. What is your name?", "My sister is getting a new kitchen next month."]):
        for u in _hear(free, _spoken(text, n)):
            for event in u.events():
                sim.submit(event)
        sim.step()
    records = [r for r in sim.journal.records() if r["type"] in ("Say", "SpeechHeard")]
    says = [r for r in records if r["type"] == "Say"]
    # (the greeting is heard or not depending on where the endpointer cut the stream: the question always)
    assert [r["intent"] for r in says][-1:] == ["ask_name"], [(r["type"], r["text"]) for r in records]
    assert set(r["intent"] for r in says) <= {"greet", "ask_name"}
    assert all(0.0 < r.get("confidence", 1.0) <= 1.0 and r["text"] and r["tone"] in ("calm", "normal", "shout") for r in says)
    heard = [r for r in records if r["type"] == "SpeechHeard"]
    assert heard and "kitchen" in heard[-1]["text"].lower()


def test_a_trainee_talks_the_welfare_check_to_a_peaceful_end_in_natural_sentences_by_voice(free):
    """The good script's walking; its words replaced by natural sentences of one's own
    (none of them an exemplar), spoken calmly; said again in other words if not understood."""
    from dataclasses import replace

    from game.content.library import package_dir
    from game.content.scenario import load_scenario
    from game.content.script import load_script
    from game.core.drivers import ScriptedTrainee
    from game.core.journal import MemoryJournal
    from game.core.scenario import PEACEFUL_OUTCOMES
    from game.core.simulation import Simulation

    own_words = {
        "identify": ["Good evening, I'm Officer Reyes from the police department.", "Hi, police, I'm Reyes."],
        "greet": ["How's your evening going?", "Hi there, how are you doing?"],
        "ask_name": ["What do your friends call you?", "What name do you go by?"],
        "ask_what_happened": ["So tell me, what's been happening tonight?", "What happened here tonight?"],
        "listen": ["Go on, I'm listening to you.", "Keep talking, I'm listening."],
        "empathise": ["That sounds really tough, I'm sorry.", "That must have been so hard."],
        "reassure": ["You're not in any kind of trouble with me.", "You're okay, you're not in trouble."],
        "offer_help": ["I know some people who can help you with this, can I get them for you?",
                       "Can I get you some help tonight?"],
    }
    loaded = load_scenario(package_dir("scenarios") / "welfare_check.yaml")
    script = load_script(package_dir("scenarios") / "scripts" / "welfare_check_good.yaml")
    due = [(a.at, a.args["say"]) for a in script.actions if a.verb == "say"]
    trainee = ScriptedTrainee(replace(script, actions=tuple(a for a in script.actions if a.verb != "say")))
    free.calibrate(_spoken("This is how I talk to people, normally and calmly.", 1))
    sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
    turn = 0
    while not sim.finished and sim.ending is None:
        trainee.feed(sim)
        while due and due[0][0] <= sim.now:
            _, intent = due.pop(0)
            for sentence in own_words[intent]:
                turn += 1
                heard = _hear(free, _spoken(sentence, turn, voice=("en-us+m3", 140), gain_db=-9.0))
                for u in heard:
                    for event in u.events():
                        sim.submit(event)
                if any(u.intents for u in heard):
                    break
        sim.step()
    records = sim.journal.records()
    (ended,) = [r for r in records if r["type"] == "ScenarioEnded"]
    assert ended["outcome"] in PEACEFUL_OUTCOMES, [(r["type"], r.get("intent"), r.get("text")) for r in records
                                                   if r["type"] in ("Say", "SpeechHeard")]
    said = [r for r in records if r["type"] == "Say"]
    assert said and all(r["text"] and r["tone"] == "calm" for r in said)
    assert any(r.get("confidence", 1.0) < 1.0 for r in said)  # understood by the free-speech path, not only the grammar


def test_without_the_speech_models_the_listener_says_so_in_one_line_and_keeps_the_grammar(tmp_path, monkeypatch):
    try:
        import pocketsphinx  # noqa: F401
    except ImportError:
        pytest.skip("pocketsphinx is not installed")
    from game.voice.hear import create_listener
    from game.voice.recogniser import PhraseRecogniser
    from game.voice.understand import SpeechUnavailable

    monkeypatch.setenv("TALKDOWN_EMBEDDING_MODEL", str(tmp_path))  # an empty folder: no model there
    notes = []
    listener = create_listener(note=notes.append)
    assert isinstance(listener.recogniser, PhraseRecogniser)
    assert len(notes) == 1 and "free speech is off" in notes[0] and "no model.onnx" in notes[0]
    with pytest.raises(SpeechUnavailable):
        create_listener(free=True)


def test_a_model_file_that_cannot_be_read_is_one_line_too(tmp_path, monkeypatch):
    _needs_speech()
    from game.voice.hear import create_listener
    from game.voice.understand import SpeechUnavailable

    (tmp_path / "model.onnx").write_bytes(b"not an onnx file")
    monkeypatch.setenv("TALKDOWN_EMBEDDING_MODEL", str(tmp_path))
    with pytest.raises(SpeechUnavailable) as err:
        create_listener(free=True)
    assert "could not be loaded" in str(err.value) and "\n" not in str(err.value)
    whisper = tmp_path / "whisper"
    whisper.mkdir()
    (whisper / "model.bin").write_bytes(b"junk")
    monkeypatch.delenv("TALKDOWN_EMBEDDING_MODEL")
    monkeypatch.setenv("TALKDOWN_WHISPER_MODEL", str(whisper))
    with pytest.raises(SpeechUnavailable) as err:
        create_listener(free=True)
    assert "Whisper's model" in str(err.value) and "\n" not in str(err.value)


# ------------------------------------------------------------------ voice activity and early recognition


def _speech_then_pause_then_speech(first, second, pause_s, n=0):
    import numpy as np

    from game.voice.audio import RATE
    from game.voice.synth import synthesize, with_noise

    a = np.frombuffer(synthesize(first), dtype="<i2")
    a = a[:np.flatnonzero(np.abs(a) > 300)[-1] + 1]  # espeak-ng's own trailing silence (~0.4 s) cut off
    gap = np.zeros(int(pause_s * RATE), dtype="<i2")
    return with_noise(np.concatenate([a, gap]).tobytes() + synthesize(second), snr_db=25.0, seed=200 + n)


def test_the_silero_endpointer_finds_each_utterance_and_none_in_noise():
    _needs_speech()
    from game.voice.bench_audio import stream
    from game.voice.recogniser import PhraseRecogniser
    from game.voice.stream import Listener
    from game.voice.vad import SileroEndpointer, SileroVad
    from game.content.vocabulary import load_vocabulary
    from game.voice.synth import with_noise

    vad = SileroVad()
    listener = Listener(PhraseRecogniser(load_vocabulary()), endpointer=lambda: SileroEndpointer(vad=vad))
    two = _speech_then_pause_then_speech("show me your hands", "step back", 1.2)
    heard = stream(listener, two)[0]
    assert [u.intent for u in heard] == ["command_show_hands", "command_step_back"]
    assert heard[0].end < heard[1].start and heard[1].start - heard[0].end > 0.9
    assert stream(listener, with_noise(b"\0\0" * 16000 * 2, snr_db=25.0, seed=5))[0] == []


class _Counting:
    """The real recogniser, with a note of the audio each call was given."""

    def __init__(self, recogniser):
        self.recogniser, self.vocabulary, self.calls = recogniser, recogniser.vocabulary, []

    def recognise(self, pcm):
        self.calls.append(len(pcm))
        return self.recogniser.recognise(pcm)


def test_recognition_starts_at_the_first_pause_and_is_redone_whole_when_the_speaker_goes_on(free):
    from game.voice.bench_audio import stream
    from game.voice.stream import Listener
    from game.voice.vad import EARLY_S, SileroEndpointer, SileroVad

    vad = SileroVad()
    counting = _Counting(free.recogniser)
    listener = Listener(counting, endpointer=lambda: SileroEndpointer(vad=vad), early=EARLY_S)
    # one sentence, said straight through: the early result is the answer (one recognition)
    (u,) = stream(listener, _spoken("I'm going to need you to drop the knife for me", 7))[0]
    assert u.intents == ["command_drop_weapon"] and len(counting.calls) == 1
    # a short pause inside the utterance (shorter than the endpointer's wait): recognition
    # began at the pause, the speaker went on, so the whole utterance is recognised again
    counting.calls.clear()
    (u,) = stream(listener, _speech_then_pause_then_speech("drop the knife", "and show me your hands", 0.18, 1))[0]
    assert len(counting.calls) == 2 and counting.calls[1] > counting.calls[0]
    assert u.intents == ["command_drop_weapon", "command_show_hands"], u.text


def test_walter_is_walked_home_in_natural_sentences_through_the_microphones_worker(free):
    """The microphone's path without PortAudio: 30 ms chunks pushed to VoiceInput as its
    callback does, its worker thread listening (Silero endpointing, early recognition),
    the utterances handed to the simulation before each step. The good script's walking;
    its words replaced by the trainee's own (no exemplar, no held-out line), said calmly,
    said again in other words when not understood."""
    import time
    from dataclasses import replace

    from game.content.library import package_dir
    from game.content.scenario import load_scenario
    from game.content.script import load_script
    from game.core.drivers import ScriptedTrainee
    from game.core.journal import MemoryJournal
    from game.core.scenario import PEACEFUL_OUTCOMES
    from game.core.simulation import Simulation
    from game.voice.microphone import VoiceInput

    own_words = {
        "greet": ["Hello there, good evening to you.", "Hi, good evening."],
        "identify": ["I'm Sam, I work for the police.", "I'm a police officer, my name is Sam."],
        "ask_name": ["What should I call you, sir?", "Could I have your name?"],
        "reassure": ["You're alright, nobody's cross with you.", "You're not in any trouble at all."],
        "ask_what_happened": ["What brings you out to the park tonight?", "What's happened this evening?"],
        "listen": ["Tell me more about her, I'd like to hear.", "Go on, I'm listening."],
        "empathise": ["You must really miss her.", "That sounds so hard for you."],
        "offer_help": ["Would you let me walk you back home?", "Can I help you get home tonight?"],
    }
    loaded = load_scenario(package_dir("scenarios") / "dementia_welfare.yaml")
    script = load_script(package_dir("scenarios") / "scripts" / "dementia_welfare_good.yaml")
    due = [(a.at, a.args["say"]) for a in script.actions if a.verb == "say"]
    trainee = ScriptedTrainee(replace(script, actions=tuple(a for a in script.actions if a.verb != "say")))
    free.calibrate(_spoken("This is how I talk to people, normally and calmly.", 2))
    voice = VoiceInput(free)
    sim = Simulation(loaded.scenario, seed=2, journal=MemoryJournal())
    turn = 0
    try:
        while not sim.finished and sim.ending is None:
            trainee.feed(sim)
            while due and due[0][0] <= sim.now:
                _, intent = due.pop(0)
                for sentence in own_words[intent]:
                    turn += 1
                    before = len(voice.heard)
                    pcm = _spoken(sentence, 50 + turn, voice=("en-us+m3", 140), gain_db=-9.0)
                    for i in range(0, len(pcm), 960):
                        voice.push(pcm[i:i + 960])
                    deadline = time.monotonic() + 60
                    while time.monotonic() < deadline and not (voice._audio.empty() and not free.in_speech
                                                               and voice._events.empty() and len(voice.heard) > before):
                        voice.feed(sim)
                        time.sleep(0.02)
                    voice.feed(sim)
                    if any(u.intents for u in voice.heard[before:]):
                        break
            sim.step()
    finally:
        voice.close()
    records = sim.journal.records()
    (ended,) = [r for r in records if r["type"] == "ScenarioEnded"]
    assert ended["outcome"] in PEACEFUL_OUTCOMES, [(r["type"], r.get("intent"), r.get("text")) for r in records
                                                   if r["type"] in ("Say", "SpeechHeard")]
    said = [r for r in records if r["type"] == "Say"]
    assert said and all(r["text"] and r["tone"] == "calm" for r in said)
