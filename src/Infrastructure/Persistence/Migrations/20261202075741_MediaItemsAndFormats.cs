using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scheduler.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MediaItemsAndFormats : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Not a rename: MariaDB's JSON columns carry a CHECK (json_valid(col)) that a rename leaves pointing at the old
            // name. The new column takes the old values as they are: plain URL strings read as media items.
            migrationBuilder.AddColumn<string>(
                name: "media",
                table: "post_details",
                type: "json",
                nullable: true);
            migrationBuilder.Sql("UPDATE post_details SET media = media_urls;");
            migrationBuilder.AlterColumn<string>(
                name: "media",
                table: "post_details",
                type: "json",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "json",
                oldNullable: true);
            migrationBuilder.DropColumn(
                name: "media_urls",
                table: "post_details");

            migrationBuilder.AddColumn<string>(
                name: "format",
                table: "post_details",
                type: "varchar(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "post",
                collation: "utf8mb4_unicode_ci")
                .Annotation("MySql:CharSet", "utf8mb4");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "format",
                table: "post_details");

            migrationBuilder.AddColumn<string>(
                name: "media_urls",
                table: "post_details",
                type: "json",
                nullable: true);
            migrationBuilder.Sql(
                "UPDATE post_details SET media_urls = COALESCE((SELECT JSON_ARRAYAGG(JSON_VALUE(m.item, '$.url')) "
                + "FROM JSON_TABLE(media, '$[*]' COLUMNS (item JSON PATH '$')) AS m), JSON_ARRAY());");
            migrationBuilder.DropColumn(
                name: "media",
                table: "post_details");
        }
    }
}
