"""Contains all the data models used in inputs/outputs"""

from .background import Background
from .create_image_request import CreateImageRequest
from .error import Error
from .error_response import ErrorResponse
from .http_validation_error import HTTPValidationError
from .image import Image
from .image_quality import ImageQuality
from .image_size import ImageSize
from .image_style import ImageStyle
from .images_response import ImagesResponse
from .input_tokens_details import InputTokensDetails
from .moderation import Moderation
from .output_format import OutputFormat
from .response_format import ResponseFormat
from .usage import Usage
from .validation_error import ValidationError

__all__ = (
    "Background",
    "CreateImageRequest",
    "Error",
    "ErrorResponse",
    "HTTPValidationError",
    "Image",
    "ImageQuality",
    "ImageSize",
    "ImagesResponse",
    "ImageStyle",
    "InputTokensDetails",
    "Moderation",
    "OutputFormat",
    "ResponseFormat",
    "Usage",
    "ValidationError",
)
