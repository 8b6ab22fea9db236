namespace Strata.Runtime.Network;

/// <summary>The stable error codes of the network area (one place; call sites use these constants).</summary>
public static class NetworkErrors
{
    /// <summary>No network of that name or ID.</summary>
    public const string NotFound = "NETWORK_NOT_FOUND";

    /// <summary>A network of that name exists.</summary>
    public const string NameConflict = "NETWORK_NAME_CONFLICT";

    /// <summary>The name has characters docker does not allow.</summary>
    public const string NameInvalid = "NETWORK_NAME_INVALID";

    /// <summary>A network prefix matches several networks.</summary>
    public const string Ambiguous = "NETWORK_AMBIGUOUS";

    /// <summary>--subnet/--gateway/--ip not parseable or not in the subnet.</summary>
    public const string AddressInvalid = "NETWORK_ADDRESS_INVALID";

    /// <summary>--subnet overlaps another network or a host route.</summary>
    public const string SubnetOverlap = "NETWORK_SUBNET_OVERLAP";

    /// <summary>The address pool has no free subnet left.</summary>
    public const string PoolExhausted = "NETWORK_POOL_EXHAUSTED";

    /// <summary>No free address left in a network's subnet.</summary>
    public const string Full = "NETWORK_FULL";

    /// <summary>--ip already used by another container on that network.</summary>
    public const string AddressInUse = "NETWORK_ADDRESS_IN_USE";

    /// <summary>rm of a network that containers are connected to.</summary>
    public const string InUse = "NETWORK_IN_USE";

    /// <summary>The predefined networks (bridge, host, none) cannot be removed or changed.</summary>
    public const string Predefined = "NETWORK_PREDEFINED";

    /// <summary>Only the bridge driver exists.</summary>
    public const string DriverUnsupported = "NETWORK_DRIVER_UNSUPPORTED";

    /// <summary>An option that needs a user-defined network (--ip, --network-alias) on another network mode.</summary>
    public const string OptionNeedsUserNetwork = "NETWORK_OPTION_NEEDS_USER_NETWORK";

    /// <summary>host/none mode combined with other networks, or connect to such a container.</summary>
    public const string ModeConflict = "NETWORK_MODE_CONFLICT";

    /// <summary>connect of a container already on the network, disconnect of one that is not.</summary>
    public const string EndpointConflict = "NETWORK_ENDPOINT_CONFLICT";

    /// <summary>ip/nft failed while setting up host networking.</summary>
    public const string Setup = "NETWORK_SETUP";

    /// <summary>--add-host, --dns, --link or --mac-address not parseable.</summary>
    public const string OptionInvalid = "NETWORK_OPTION_INVALID";

    /// <summary>A --link target that does not exist or does not run.</summary>
    public const string LinkInvalid = "NETWORK_LINK_INVALID";
}
