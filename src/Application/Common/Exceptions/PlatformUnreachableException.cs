namespace Scheduler.Application.Common.Exceptions;

/// <summary>A platform that had to answer before the request could be decided did not (503, try again).</summary>
public sealed class PlatformUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
