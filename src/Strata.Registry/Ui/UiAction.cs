namespace Strata.Registry.Ui;

/// <summary>The registry's access actions; the UI checks the same ones as the API.</summary>
public enum UiAction
{
    Pull,
    Push,
    Delete,
}
