"""Stereo rendering into the runtime's swapchains with Panda3D.

Each eye has a Panda3D texture buffer and a camera under the world root. Each frame
(:class:`~game.xr.app.XrLoop` calls these in order):

1. :meth:`XrStereo.begin` — locate the views; each eye's camera takes its view's pose
   and a lens built from the runtime's field of view (asymmetric: :func:`lens_film`);
   acquire each swapchain image.
2. Panda3D renders (its ``igLoop``, or :meth:`render_eyes` in tests).
3. :meth:`XrStereo.finish` — copy each eye's texture into its swapchain image
   (``glCopyImageSubData``, on the GPU), release the images, and return the projection
   layer for ``xrEndFrame``.

The OpenXR graphics binding is made from Panda's current OpenGL context:
``XR_MNDX_egl_enable`` under EGL (p3headlessgl, no X server), ``XR_KHR_opengl_enable``
with Xlib (GLX windows) or Win32 (WGL) otherwise (:func:`graphics_binding`).
Swapchain formats: 8-bit RGBA with alpha (sRGB preferred); some runtimes refuse formats
without alpha.
"""

from __future__ import annotations

import ctypes
import math
import sys
from typing import Any

import numpy as np

#: GL internal formats we can copy Panda's RGBA8 textures into, best first.
GL_SRGB8_ALPHA8 = 0x8C43
GL_RGBA8 = 0x8058
FORMATS = (GL_SRGB8_ALPHA8, GL_RGBA8)
NEAR, FAR = 0.05, 200.0


def lens_film(fov: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """(film width, height, offset x, offset y) at focal length 1 for OpenXR's field of view
    angles (left, right, up, down; radians, left and down negative)."""
    left, right, up, down = (math.tan(a) for a in fov)
    return right - left, up - down, (right + left) / 2.0, (up + down) / 2.0


def _egl() -> Any:
    lib = ctypes.CDLL("libEGL.so.1")
    for name in ("eglGetCurrentDisplay", "eglGetCurrentContext", "eglGetProcAddress"):
        getattr(lib, name).restype = ctypes.c_void_p
    lib.eglQueryContext.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
    lib.eglChooseConfig.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_void_p),
                                    ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
    return lib


def graphics_binding(xr: Any, runtime: Any) -> Any:
    """The graphics binding for Panda's current GL context (call with the context current)."""
    xr.get_opengl_graphics_requirements_khr(runtime.instance, runtime.system_id)
    if "XR_MNDX_egl_enable" in runtime.extensions:
        egl = _egl()
        display, context = egl.eglGetCurrentDisplay(), egl.eglGetCurrentContext()
        config_id = ctypes.c_int()
        egl.eglQueryContext(display, context, 0x3028, ctypes.byref(config_id))  # EGL_CONFIG_ID
        attrs = (ctypes.c_int * 3)(0x3028, config_id.value, 0x3038)  # EGL_CONFIG_ID, id, EGL_NONE
        config, count = ctypes.c_void_p(), ctypes.c_int()
        egl.eglChooseConfig(display, attrs, ctypes.byref(config), 1, ctypes.byref(count))
        proc = ctypes.cast(egl.eglGetProcAddress, xr.PFN_xrEglGetProcAddressMNDX)
        from xr.platform import linux as xr_linux  # the EGL handle types pyopenxr expects (PyOpenGL's)

        return xr.GraphicsBindingEGLMNDX(get_proc_address=proc,
                                         display=ctypes.cast(display, xr_linux.EGLDisplay),
                                         config=ctypes.cast(config, xr_linux.EGLConfig),
                                         context=ctypes.cast(context, xr_linux.EGLContext))
    if sys.platform == "win32":
        wgl = ctypes.WinDLL("opengl32")  # type: ignore[attr-defined]
        wgl.wglGetCurrentDC.restype = ctypes.c_void_p
        wgl.wglGetCurrentContext.restype = ctypes.c_void_p
        return xr.GraphicsBindingOpenGLWin32KHR(h_dc=wgl.wglGetCurrentDC(), h_glrc=wgl.wglGetCurrentContext())
    from OpenGL import GLX  # PyOpenGL, a dependency of pyopenxr

    display = GLX.glXGetCurrentDisplay()
    context = GLX.glXGetCurrentContext()
    drawable = GLX.glXGetCurrentDrawable()
    return xr.GraphicsBindingOpenGLXlibKHR(x_display=display, glx_drawable=drawable, glx_context=context)


_COPY_IMAGE = ctypes.CFUNCTYPE(None, *([ctypes.c_uint, ctypes.c_uint] + [ctypes.c_int] * 4) * 2,
                               ctypes.c_int, ctypes.c_int, ctypes.c_int)


def copy_image_function(egl: bool) -> Any:
    """``glCopyImageSubData`` (OpenGL 4.3) for the current context: PyOpenGL's where it finds
    it, else asked of EGL directly (PyOpenGL looks through GLX, which an EGL context lacks)."""
    from OpenGL import GL

    if bool(GL.glCopyImageSubData):
        return GL.glCopyImageSubData
    if egl:
        address = _egl().eglGetProcAddress(b"glCopyImageSubData")
        if address:
            return _COPY_IMAGE(address)
    raise RuntimeError("this OpenGL has no glCopyImageSubData (OpenGL 4.3 or ARB_copy_image is needed)")


def binding_extensions(display: str) -> tuple[str, ...]:
    """The extensions a graphics binding needs for Panda's display module ``display``."""
    if display == "p3headlessgl":
        return ("XR_KHR_opengl_enable", "XR_MNDX_egl_enable")
    return ("XR_KHR_opengl_enable",)


class XrStereo:
    """Two eyes for ``runtime`` (opened with a graphics binding), rendering ``world`` with ``base``'s GSG."""

    def __init__(self, base: Any, runtime: Any, world: Any, *, size: tuple[int, int] | None = None,
                 capture: bool = False) -> None:
        from panda3d.core import Camera, FrameBufferProperties, NodePath, PerspectiveLens, Texture

        from game.engine.world.masks import trainee_mask

        self.base = base
        self.runtime = runtime
        self.capture = capture
        self.captured: list[np.ndarray | None] = []
        xr = runtime.xr
        self.xr = xr
        configs = xr.enumerate_view_configuration_views(runtime.instance, runtime.system_id,
                                                        xr.ViewConfigurationType.PRIMARY_STEREO)
        formats = list(xr.enumerate_swapchain_formats(runtime.session))
        fmt = next((f for f in FORMATS if f in formats), None)
        if fmt is None:
            raise RuntimeError(f"the runtime offers no RGBA8 swapchain format (has {formats})")
        self.format = fmt
        self.eyes: list[dict[str, Any]] = []
        self.root = NodePath("xr-eyes")
        self.root.reparent_to(world)
        for i, cfg in enumerate(configs):
            w, h = size or (cfg.recommended_image_rect_width, cfg.recommended_image_rect_height)
            swapchain = xr.create_swapchain(runtime.session, xr.SwapchainCreateInfo(
                usage_flags=xr.SwapchainUsageFlags.COLOR_ATTACHMENT_BIT | xr.SwapchainUsageFlags.TRANSFER_DST_BIT,
                format=fmt, sample_count=1, width=w, height=h, face_count=1, array_size=1, mip_count=1))
            images = xr.enumerate_swapchain_images(swapchain, xr.SwapchainImageOpenGLKHR)
            tex = Texture(f"xr-eye-{i}")
            tex.set_format(Texture.F_rgba8)  # sized, so the GPU copy into the swapchain's RGBA8 is allowed
            fbp = FrameBufferProperties()
            fbp.set_rgba_bits(8, 8, 8, 8)
            fbp.set_depth_bits(24)
            buf = base.win.make_texture_buffer(f"xr-eye-{i}", w, h, tex, False, fbp)
            buf.set_clear_color_active(True)
            buf.set_clear_color(base.win.get_clear_color())
            buf.set_sort(-20 + i)
            lens = PerspectiveLens()
            lens.set_near_far(NEAR, FAR)
            cam = self.root.attach_new_node(Camera(f"xr-eye-{i}", lens))
            cam.node().set_camera_mask(trainee_mask())  # the trainee's eyes: no officer figure, no discs
            region = buf.make_display_region()
            region.set_camera(cam)
            self.eyes.append({"swapchain": swapchain, "images": [img.image for img in images], "tex": tex,
                              "buffer": buf, "camera": cam, "lens": lens, "size": (w, h), "index": None,
                              "view": None, "gl_id": None})
        self.active = False
        self._copy: Any = None

    # ------------------------------------------------------------------ frame

    def begin(self) -> None:
        """Called after ``xrBeginFrame``: eye poses and lenses from the views, images acquired."""
        from panda3d.core import LVector3f

        rt, xr = self.runtime, self.xr
        self.active = rt.should_render
        for eye in self.eyes:
            eye["buffer"].set_active(self.active)
        if not self.active:
            return
        views = rt.locate_views()
        for eye, view in zip(self.eyes, views):
            p, o = view.pose.position, view.pose.orientation
            pose = rt.anchor.pose((p.x, p.y, p.z), (o.x, o.y, o.z, o.w))
            cam = eye["camera"]
            cam.set_pos(*pose.position)
            cam.look_at(cam.get_pos() + LVector3f(*pose.forward), LVector3f(*pose.up))
            fw, fh, ox, oy = lens_film((view.fov.angle_left, view.fov.angle_right, view.fov.angle_up,
                                        view.fov.angle_down))
            lens = eye["lens"]
            lens.set_focal_length(1.0)
            lens.set_film_size(fw, fh)
            lens.set_film_offset(ox, oy)
            eye["view"] = view
            eye["index"] = xr.acquire_swapchain_image(eye["swapchain"], xr.SwapchainImageAcquireInfo())
            xr.wait_swapchain_image(eye["swapchain"], xr.SwapchainImageWaitInfo(timeout=xr.INFINITE_DURATION))

    def render_eyes(self) -> None:
        """Renders a frame (the window's task loop does this itself)."""
        self.base.graphics_engine.render_frame()

    def finish(self) -> list[Any]:
        """Called after Panda rendered: copies each eye into its image, releases them, and
        returns the layers for ``xrEndFrame`` (none when the runtime did not want a frame)."""
        if not self.active:
            return []
        from OpenGL import GL

        xr = self.xr
        gsg = self.base.win.get_gsg()
        views = []
        self.captured = []
        for eye in self.eyes:
            w, h = eye["size"]
            if eye["gl_id"] is None:
                ctx = eye["tex"].prepare_now(0, gsg.get_prepared_objects(), gsg)
                eye["gl_id"] = ctx.get_native_id()
            target = eye["images"][eye["index"]]
            if self._copy is None:
                self._copy = copy_image_function("XR_MNDX_egl_enable" in self.runtime.extensions)
            self._copy(eye["gl_id"], GL.GL_TEXTURE_2D, 0, 0, 0, 0, target, GL.GL_TEXTURE_2D, 0, 0, 0, 0, w, h, 1)
            if self.capture:
                GL.glBindTexture(GL.GL_TEXTURE_2D, target)
                raw = GL.glGetTexImage(GL.GL_TEXTURE_2D, 0, GL.GL_RGB, GL.GL_UNSIGNED_BYTE)
                GL.glBindTexture(GL.GL_TEXTURE_2D, 0)
                self.captured.append(np.frombuffer(raw, dtype=np.uint8).reshape(h, w, 3)[::-1].copy())
            xr.release_swapchain_image(eye["swapchain"], xr.SwapchainImageReleaseInfo())
            view = eye["view"]
            views.append(xr.CompositionLayerProjectionView(
                pose=view.pose, fov=view.fov,
                sub_image=xr.SwapchainSubImage(swapchain=eye["swapchain"], image_rect=xr.Rect2Di(
                    offset=xr.Offset2Di(0, 0), extent=xr.Extent2Di(w, h)))))
        self._layer = xr.CompositionLayerProjection(space=self.runtime.spaces["stage"], views=views)
        return [ctypes.byref(self._layer)]

    def destroy(self) -> None:
        """Removes the buffers and cameras and destroys the swapchains (before the session goes)."""
        xr = self.xr
        for eye in self.eyes:
            self.base.graphics_engine.remove_window(eye["buffer"])
            eye["camera"].remove_node()
            try:
                xr.destroy_swapchain(eye["swapchain"])
            except xr.exception.XrException:
                pass
        self.eyes.clear()
        self.root.remove_node()
