namespace Scheduler.Application.Common.Exceptions;

/// <summary>The caller is authenticated but asks to act for another company.</summary>
public sealed class ForbiddenAccessException : Exception
{
    public ForbiddenAccessException()
    {
    }

    public ForbiddenAccessException(string message) : base(message)
    {
    }

    public ForbiddenAccessException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
