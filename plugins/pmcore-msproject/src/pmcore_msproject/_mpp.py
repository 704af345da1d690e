"""Binary Microsoft Project files (``.mpp``, and the older ``.mpx``) through MPXJ.

MPXJ (https://www.mpxj.org, the ``mpxj`` package on PyPI) is a Java library that reads every
version of Microsoft Project's binary format. This reader hands it the file's bytes, has it
write MSPDI into memory, and reads that with :class:`~pmcore_msproject.MspdiReader`: what
pmcore gets from an ``.mpp`` is what it gets from the same plan saved as XML, as far as MPXJ
reads the binary file.

It needs the optional extra (``pip install "pmcore-msproject[mpp]"``, which brings ``mpxj``
and ``JPype1``) and a Java runtime (11 or later). Without them the reader is still listed, and
reading raises a :class:`~pmcore.errors.PluginError` that says what to install.

The Java virtual machine is started on the first read, never at import, and stays up for the
life of the process: JPype cannot start a second one.
"""

from __future__ import annotations

import importlib
import io
import logging
from typing import TYPE_CHECKING, Any, BinaryIO

from pmcore.errors import FormatError, PluginError
from pmcore.io.formats import ReadLimits

if TYPE_CHECKING:
    from pmcore.model import Project

__all__ = ["MppReader", "mpxj_to_mspdi"]

logger = logging.getLogger(__name__)

PLUGIN = "msproject"
INSTALL = ('pip install "pmcore-msproject[mpp]" (the mpxj and JPype1 packages) and a Java '
           "runtime 11 or later (e.g. apt install default-jre-headless)")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The signature of an OLE2 compound file, the container of every ``.mpp`` version."""


class MppReader:
    """Reads Microsoft Project's binary ``.mpp`` (and ``.mpx``) files through MPXJ."""

    name = "mpp"
    extensions = (".mpp", ".mpt", ".mpx")
    description = "Microsoft Project .mpp/.mpx through MPXJ (extra [mpp], needs Java)"

    def sniff(self, head: bytes) -> bool:
        """An OLE2 compound file (``.mpp``) or an MPX file (first record ``MPX,``)."""
        return head.startswith((OLE2, b"MPX"))

    def read(self, stream: BinaryIO, *, source: str, limits: ReadLimits) -> Project:
        """Read a project: MPXJ turns the file into MSPDI, which the MSPDI reader reads.

        Raises:
            PluginError: mpxj, JPype1 or Java is missing (the message says what to install).
            FormatError: MPXJ cannot read the file, or the MSPDI it writes is refused.
        """
        from pmcore_msproject._mspdi import MspdiReader

        data = stream.read(limits.max_bytes + 1)
        if len(data) > limits.max_bytes:
            raise FormatError(f"is larger than {limits.max_bytes} bytes", source=source)
        xml = mpxj_to_mspdi(data, source=source)
        return MspdiReader().read(io.BytesIO(xml), source=source,
                                  limits=ReadLimits(max_bytes=max(limits.max_bytes,
                                                                  len(xml)),
                                                    max_depth=limits.max_depth))


def _mpxj() -> tuple[Any, Any, Any, Any]:
    """JPype, MPXJ's universal reader, its MSPDI writer and ``java.io``; starts the JVM if
    needed."""
    try:
        # by name: neither package has type information, and neither need be installed
        jpype = importlib.import_module("jpype")
        importlib.import_module("mpxj")  # puts MPXJ's jars on JPype's class path
    except ImportError as exc:
        raise PluginError(f"reading .mpp files needs MPXJ: {exc.name} is not installed; "
                          f"install with {INSTALL}", plugin=PLUGIN) from None
    if not jpype.isJVMStarted():
        try:
            jpype.startJVM(convertStrings=False)
        except (jpype.JVMNotFoundException, jpype.JVMNotSupportedException, OSError) as exc:
            raise PluginError(f"reading .mpp files needs a Java runtime: {exc}; install "
                              f"with {INSTALL}", plugin=PLUGIN) from None
    for package in ("org.mpxj", "net.sf.mpxj"):  # MPXJ 14 moved from net.sf.mpxj
        try:
            reader = jpype.JClass(f"{package}.reader.UniversalProjectReader")
            writer = jpype.JClass(f"{package}.mspdi.MSPDIWriter")
        except TypeError:
            continue
        return jpype, reader, writer, jpype.JPackage("java").io
    raise PluginError(f"the installed mpxj has no UniversalProjectReader; install with {INSTALL}",
                      plugin=PLUGIN)


def mpxj_to_mspdi(data: bytes, *, source: str = "<bytes>") -> bytes:
    """Any file MPXJ reads (``.mpp``, ``.mpx``, MSPDI, ...) as MSPDI XML bytes.

    Raises:
        PluginError: mpxj, JPype1 or Java is missing.
        FormatError: MPXJ cannot read ``data``.
    """
    jpype, reader_class, writer_class, java_io = _mpxj()
    try:
        stream = java_io.ByteArrayInputStream(jpype.JArray(jpype.JByte)(data))
        project = reader_class().read(stream)
        if project is None:
            raise FormatError("is not a project file MPXJ knows", source=source)
        out = java_io.ByteArrayOutputStream()
        writer_class().write(project, out)
        return bytes(out.toByteArray())
    except FormatError:
        raise
    except Exception as exc:  # any Java exception: MPXJ could not read the file
        logger.debug("MPXJ failed on %s", source, exc_info=True)
        raise FormatError(f"MPXJ cannot read it: {exc}", source=source) from None
