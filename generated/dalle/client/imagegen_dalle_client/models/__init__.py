"""Contains all the data models used in inputs/outputs"""

from .create_image_request import CreateImageRequest
from .error import Error
from .error_response import ErrorResponse
from .image import Image
from .image_model import ImageModel
from .image_quality import ImageQuality
from .image_size import ImageSize
from .image_style import ImageStyle
from .images_response import ImagesResponse
from .response_format import ResponseFormat

__all__ = (
    "CreateImageRequest",
    "Error",
    "ErrorResponse",
    "Image",
    "ImageModel",
    "ImageQuality",
    "ImageSize",
    "ImagesResponse",
    "ImageStyle",
    "ResponseFormat",
)
