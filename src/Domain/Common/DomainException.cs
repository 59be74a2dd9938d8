namespace Scheduler.Domain.Common;

/// <summary>An operation that breaks a rule of the domain, such as cancelling a post that was already published.</summary>
public class DomainException : Exception
{
    public DomainException(string message) : base(message)
    {
    }

    public DomainException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public DomainException()
    {
    }
}
