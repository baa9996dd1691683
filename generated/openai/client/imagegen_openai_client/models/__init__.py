"""Contains all the data models used in inputs/outputs"""

from .background import Background
from .create_image_request import CreateImageRequest
from .error import Error
from .error_response import ErrorResponse
from .image import Image
from .image_gen_completed_event import ImageGenCompletedEvent
from .image_gen_partial_image_event import ImageGenPartialImageEvent
from .image_gen_server_sent_event import ImageGenServerSentEvent
from .image_gen_server_sent_event_event import ImageGenServerSentEventEvent
from .image_model import ImageModel
from .image_quality import ImageQuality
from .images_response import ImagesResponse
from .images_response_background import ImagesResponseBackground
from .images_response_quality import ImagesResponseQuality
from .input_tokens_details import InputTokensDetails
from .moderation import Moderation
from .output_format import OutputFormat
from .output_tokens_details import OutputTokensDetails
from .standard_size import StandardSize
from .usage import Usage

__all__ = (
    "Background",
    "CreateImageRequest",
    "Error",
    "ErrorResponse",
    "Image",
    "ImageGenCompletedEvent",
    "ImageGenPartialImageEvent",
    "ImageGenServerSentEvent",
    "ImageGenServerSentEventEvent",
    "ImageModel",
    "ImageQuality",
    "ImagesResponse",
    "ImagesResponseBackground",
    "ImagesResponseQuality",
    "InputTokensDetails",
    "Moderation",
    "OutputFormat",
    "OutputTokensDetails",
    "StandardSize",
    "Usage",
)
