"""One exception class per Braket error code, with the HTTP status the service model gives it."""

from __future__ import annotations

from typing import Any, ClassVar

from pulumi_braket.shapes import service_model


class BraketServiceError(Exception):
    """Base of every error the local service answers with."""

    code: ClassVar[str] = "InternalServiceException"
    # Codes outside the Braket model (unknown routes) set their status here.
    fixed_status: ClassVar[int | None] = None

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra

    @classmethod
    def status(cls) -> int:
        """The HTTP status from the error shape's ``httpStatusCode`` trait."""
        if cls.fixed_status is not None:
            return cls.fixed_status
        meta = service_model().shape_for(cls.code).metadata
        return int(meta["error"]["httpStatusCode"])

    def body(self) -> dict[str, Any]:
        """The JSON body of the error response."""
        return {"message": self.message, **self.extra}


class AccessDeniedException(BraketServiceError):
    """The caller's credentials are on the service's deny list."""

    code = "AccessDeniedException"


class ConflictException(BraketServiceError):
    """The resource's state forbids the operation, or a client token was reused differently."""

    code = "ConflictException"


class DeviceOfflineException(BraketServiceError):
    """The device exists but is OFFLINE."""

    code = "DeviceOfflineException"


class DeviceRetiredException(BraketServiceError):
    """The device is RETIRED."""

    code = "DeviceRetiredException"


class InternalServiceException(BraketServiceError):
    """An injected server fault, or a bug."""

    code = "InternalServiceException"


class ResourceNotFoundException(BraketServiceError):
    """No resource has that ARN in this account and region."""

    code = "ResourceNotFoundException"


class ServiceQuotaExceededException(BraketServiceError):
    """The concurrent-job quota is reached."""

    code = "ServiceQuotaExceededException"


class ThrottlingException(BraketServiceError):
    """An injected throttle."""

    code = "ThrottlingException"


class ValidationException(BraketServiceError):
    """The request breaks a rule of the model or of the service."""

    code = "ValidationException"


class UnknownOperationException(BraketServiceError):
    """No Braket operation matches the method and path."""

    code = "UnknownOperationException"
    fixed_status = 404


class NotImplementedByLocalService(BraketServiceError):
    """An operation of the model that the local service does not serve."""

    code = "NotImplementedException"
    # 501 is not retried by botocore, unlike 500/502/503/504.
    fixed_status = 501


BY_CODE: dict[str, type[BraketServiceError]] = {
    cls.code: cls
    for cls in (
        AccessDeniedException,
        ConflictException,
        DeviceOfflineException,
        DeviceRetiredException,
        InternalServiceException,
        ResourceNotFoundException,
        ServiceQuotaExceededException,
        ThrottlingException,
        ValidationException,
        UnknownOperationException,
        NotImplementedByLocalService,
    )
}
