"""Small drawing pieces for the instructor's HUD: text that is only rebuilt when it
changes, flat cards, and a gauge with a sparkline of its recent history.

Everything is built under a parent node passed in, in the HUD's 2D units (the window
is 2 units high, y up; x spans the width at the window's aspect ratio).
"""

from __future__ import annotations

from collections import deque
from typing import Any, Sequence

from panda3d.core import (
    Camera,
    CardMaker,
    Geom,
    GeomLinestrips,
    GeomNode,
    GeomVertexData,
    GeomVertexFormat,
    GeomVertexWriter,
    NodePath,
    OrthographicLens,
    TextNode,
    TransparencyAttrib,
)

Color = tuple[float, float, float, float]
#: Text scale in HUD units (the window is 2 units high): 0.042 draws "Hg" at least 14 px tall at
#: 1280x720 (dim text included), the smallest an instructor reads at a glance.
TEXT = 0.042


class Layer2D:
    """A 2D display region of its own on ``win``, drawn over the 3D views at ``sort``, with a
    root in HUD units (drawn in scene-graph order, translucent or not) and its own camera."""

    def __init__(self, win: Any, name: str, sort: int) -> None:
        self.win = win
        self.region = win.make_display_region()
        self.region.set_sort(sort)
        self.region.set_clear_depth_active(False)
        self.region.set_clear_color_active(False)
        self.root = NodePath(name)
        self.root.set_depth_test(False)
        self.root.set_depth_write(False)
        self.root.set_bin("unsorted", 0)
        self.lens = OrthographicLens()
        self.lens.set_near_far(-10, 10)
        self.camera = self.root.attach_new_node(Camera(f"{name}_camera", self.lens))
        self.region.set_camera(self.camera)
        self.aspect = 0.0

    def refit(self) -> bool:
        """Fits the lens to the window's aspect ratio; True when it changed (lay out again)."""
        w, h = self.win.get_x_size(), self.win.get_y_size()
        aspect = w / h if h else 1.0
        if abs(aspect - self.aspect) < 1e-6:
            return False
        self.aspect = aspect
        self.lens.set_film_size(2 * aspect, 2)
        return True

    def destroy(self) -> None:
        self.win.remove_display_region(self.region)
        self.root.remove_node()


class Text:
    """A line (or a wrapped block) of text; :meth:`set` rebuilds it only when it changed."""

    def __init__(self, parent: NodePath, pos: tuple[float, float], *, scale: float = 0.032,
                 color: Color = (1, 1, 1, 1), align: int = TextNode.A_left, wrap: float = 0.0) -> None:
        self.node = TextNode("hud_text")
        self.node.set_align(align)
        self.node.set_text_color(*color)
        self.node.set_shadow(0.06, 0.06)
        self.node.set_shadow_color(0, 0, 0, 0.9)
        if wrap:
            self.node.set_wordwrap(wrap / scale)
        self.np = parent.attach_new_node(self.node)
        self.np.set_pos(pos[0], 0, pos[1])
        self.np.set_scale(scale)
        self.text = ""
        self.color = color

    def set(self, text: str, color: Color | None = None) -> None:
        if text != self.text:
            self.text = text
            self.node.set_text(text)
        if color is not None and color != self.color:
            self.color = color
            self.node.set_text_color(*color)

    def lines(self) -> int:
        """How many lines the text takes (after wrapping)."""
        return max(1, self.node.get_num_rows()) if self.text else 0


def card(parent: NodePath, left: float, right: float, bottom: float, top: float, color: Color,
         name: str = "card") -> NodePath:
    """A flat rectangle (alpha blended when ``color`` is translucent)."""
    maker = CardMaker(name)
    maker.set_frame(left, right, bottom, top)
    np = parent.attach_new_node(maker.generate())
    np.set_color(*color)
    if color[3] < 1.0:
        np.set_transparency(TransparencyAttrib.M_alpha)
    return np


def frame(parent: NodePath, left: float, right: float, bottom: float, top: float, color: Color,
          width: float = 0.004) -> NodePath:
    """An outline rectangle made of four thin cards."""
    root = parent.attach_new_node("frame")
    card(root, left, right, top - width, top, color)
    card(root, left, right, bottom, bottom + width, color)
    card(root, left, left + width, bottom, top, color)
    card(root, right - width, right, bottom, top, color)
    return root


def mix(a: Color, b: Color, t: float) -> Color:
    t = max(0.0, min(1.0, t))
    return tuple(x + (y - x) * t for x, y in zip(a, b))  # type: ignore[return-value]


class Gauge:
    """A labelled bar for a value in 0..1, tick marks, and a sparkline of the last
    ``points`` samples drawn beneath it (oldest on the left)."""

    BAR_HEIGHT = 0.035
    SPARK_HEIGHT = 0.07

    def __init__(self, parent: NodePath, label: str, *, pos: tuple[float, float], width: float,
                 low: Color, high: Color, points: int = 300) -> None:
        self.root = parent.attach_new_node(f"gauge:{label}")
        self.root.set_pos(pos[0], 0, pos[1])
        self.width = width
        self.low, self.high = low, high
        self.label = label
        self.caption = Text(self.root, (0.0, -0.03), scale=TEXT)
        top = -0.05
        self.bar_top, self.bar_bottom = top, top - self.BAR_HEIGHT
        card(self.root, 0.0, width, self.bar_bottom, self.bar_top, (0.12, 0.12, 0.14, 0.85))
        self.fill = card(self.root, 0.0, 1.0, self.bar_bottom, self.bar_top, (1, 1, 1, 1), name="fill")
        self.ticks = self.root.attach_new_node("ticks")
        self.spark_top = self.bar_bottom - 0.012
        self.spark_bottom = self.spark_top - self.SPARK_HEIGHT
        card(self.root, 0.0, width, self.spark_bottom, self.spark_top, (0.08, 0.08, 0.1, 0.7))
        self.points = points
        self.history: deque[float] = deque(maxlen=points)
        self._vdata = GeomVertexData("spark", GeomVertexFormat.get_v3(), Geom.UH_dynamic)
        self._vdata.set_num_rows(points)
        strip = GeomLinestrips(Geom.UH_static)
        strip.add_consecutive_vertices(0, points)
        strip.close_primitive()
        geom = Geom(self._vdata)
        geom.add_primitive(strip)
        node = GeomNode("sparkline")
        node.add_geom(geom)
        self.spark = self.root.attach_new_node(node)
        self.spark.set_color(*high)
        self.spark.set_render_mode_thickness(1.5)
        self.value = -1.0
        self.set(0.0)

    def set(self, value: float, text: str = "") -> None:
        """Shows ``value`` (clamped to 0..1) on the bar, with ``text`` after the label."""
        value = max(0.0, min(1.0, value))
        if abs(value - self.value) > 1e-4:
            self.value = value
            self.fill.set_sx(max(1e-4, value * self.width))
            self.fill.set_color(*mix(self.low, self.high, value))
        self.caption.set(f"{self.label}  {text or f'{value:.2f}'}")

    def set_ticks(self, ticks: Sequence[float]) -> None:
        """Marks these values on the bar (a subject's posture thresholds, say)."""
        self.ticks.node().remove_all_children()
        for t in ticks:
            card(self.ticks, t * self.width - 0.002, t * self.width + 0.002, self.bar_bottom - 0.006,
                 self.bar_top + 0.006, (0.9, 0.9, 0.9, 0.8), name="tick")

    def push(self, value: float) -> None:
        """Adds a sample to the sparkline."""
        self.history.append(max(0.0, min(1.0, value)))
        self._draw_spark()

    def reset(self, values: Sequence[float] = ()) -> None:
        """Replaces the history (another subject shown, a new session)."""
        self.history.clear()
        self.history.extend(values)
        self._draw_spark()

    def _draw_spark(self) -> None:
        writer = GeomVertexWriter(self._vdata, "vertex")
        values = list(self.history) or [0.0]
        pad = self.points - len(values)
        span = self.spark_top - self.spark_bottom
        for i in range(self.points):
            v = values[max(0, i - pad)]
            writer.set_data3(i / (self.points - 1) * self.width, 0.0, self.spark_bottom + v * span)

    def height(self) -> float:
        """From the caption's top to the sparkline's bottom, in HUD units."""
        return -self.spark_bottom + 0.01

    def bar_rect(self) -> tuple[float, float, float, float]:
        """The bar's (left, right, bottom, top) in its parent's units."""
        x, _, z = self.root.get_pos()
        return x, x + self.width, z + self.bar_bottom, z + self.bar_top
