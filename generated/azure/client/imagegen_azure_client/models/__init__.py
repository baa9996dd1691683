"""Contains all the data models used in inputs/outputs"""

from .content_filter_detected_result import ContentFilterDetectedResult
from .content_filter_severity import ContentFilterSeverity
from .content_filter_severity_result import ContentFilterSeverityResult
from .custom_blocklist_detail import CustomBlocklistDetail
from .custom_blocklist_results import CustomBlocklistResults
from .error import Error
from .error_response import ErrorResponse
from .image_content_filter_results import ImageContentFilterResults
from .image_generations_request import ImageGenerationsRequest
from .image_generations_response import ImageGenerationsResponse
from .image_quality import ImageQuality
from .image_result import ImageResult
from .image_size import ImageSize
from .image_style import ImageStyle
from .inner_error import InnerError
from .inner_error_code import InnerErrorCode
from .prompt_filter_results import PromptFilterResults
from .response_format import ResponseFormat

__all__ = (
    "ContentFilterDetectedResult",
    "ContentFilterSeverity",
    "ContentFilterSeverityResult",
    "CustomBlocklistDetail",
    "CustomBlocklistResults",
    "Error",
    "ErrorResponse",
    "ImageContentFilterResults",
    "ImageGenerationsRequest",
    "ImageGenerationsResponse",
    "ImageQuality",
    "ImageResult",
    "ImageSize",
    "ImageStyle",
    "InnerError",
    "InnerErrorCode",
    "PromptFilterResults",
    "ResponseFormat",
)
