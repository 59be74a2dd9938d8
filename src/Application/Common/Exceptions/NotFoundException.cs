namespace Scheduler.Application.Common.Exceptions;

/// <summary>The resource does not exist for the caller's company (another company's resources are not found either).</summary>
public sealed class NotFoundException : Exception
{
    public NotFoundException(string resource, object key) : base($"No {resource} with id {key} was found.")
    {
        Resource = resource;
        Key = key.ToString();
    }

    public NotFoundException()
    {
    }

    public NotFoundException(string message) : base(message)
    {
    }

    public NotFoundException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public string? Resource { get; }

    public string? Key { get; }
}
